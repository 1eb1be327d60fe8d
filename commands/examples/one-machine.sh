#!/bin/sh
# HellaSwag in 4 shards on one machine, two at a time, one thread each,
# then merged: with xargs -P, or the same with GNU parallel:
#   parallel -j 2 commons eval "$MODEL" --task hellaswag --threads 1 --shard {}/4 ::: 1 2 3 4
set -eu
MODEL=${MODEL:-HuggingFaceTB/SmolLM2-135M-Instruct}
export MODEL

seq 1 4 | xargs -P 2 -I{} commons eval "$MODEL" --task hellaswag --threads 1 --shard {}/4
commons eval merge --allow-unsigned manifests/evals/"$MODEL"/hellaswag-*of4.yaml
