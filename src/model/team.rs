//! The threads that run a model's parallel loops.
//!
//! A decode step is a few hundred short parallel loops (each matrix product,
//! the attention heads, the gate) of some tens of microseconds each. Handing
//! each to a general work-stealing pool costs a wake-up of a sleeping worker
//! per loop, which on two cores costs as much as the second core gains. The
//! team's workers instead spin on a shared word between loops for a little
//! while and only then sleep, so that back-to-back loops start at once; the
//! calling thread works on the loop too.
//!
//! One caller uses the team at a time. A loop started while it is busy
//! (another thread's model, or a loop inside a loop) runs on its caller alone,
//! which is correct, only not parallel.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Condvar, Mutex, OnceLock, TryLockError};
use std::time::{Duration, Instant};

/// How long an idle worker spins before it sleeps.
const SPIN: Duration = Duration::from_millis(2);

/// Parts of one loop: the state word keeps the count in 16 bits.
const MAX_PARTS: usize = u16::MAX as usize;

/// Threads wanted (0: one per core), read when the team first starts.
static WANTED: AtomicUsize = AtomicUsize::new(0);
static TEAM: OnceLock<Team> = OnceLock::new();

/// Sets the number of threads of the team, the caller included. Only the
/// first call before the team starts counts.
pub fn set_threads(n: usize) {
    WANTED.store(n.max(1), SeqCst);
}

/// The number of threads the team runs loops on, the caller included.
pub fn threads() -> usize {
    team().threads
}

/// Runs `f(i)` for every `i` in `0..parts` over the team and returns when all
/// have run. Parts are claimed one at a time, so unequal parts balance out.
/// A panic in `f` is raised again on the caller once every part has finished.
pub fn for_each(parts: usize, f: impl Fn(usize) + Sync) {
    let team = team();
    if parts <= 1 || team.threads == 1 || ALONE.get() {
        return (0..parts).for_each(f);
    }
    // A panic raised again from an earlier loop poisons the lock; the team
    // itself is intact (every part of that loop finished).
    let _busy = match team.caller.try_lock() {
        Ok(guard) => guard,
        Err(TryLockError::Poisoned(p)) => p.into_inner(),
        Err(TryLockError::WouldBlock) => return (0..parts).for_each(f),
    };
    for start in (0..parts).step_by(MAX_PARTS) {
        let count = (parts - start).min(MAX_PARTS);
        team.run(count, &|i| f(start + i));
    }
}

thread_local! {
    static ALONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with every loop it starts kept on the calling thread: for
/// callers that already keep each core busy with work of their own (whole
/// items side by side), where splitting each loop would only add waiting.
pub fn alone<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            ALONE.set(self.0);
        }
    }
    let _restore = Restore(ALONE.replace(true));
    f()
}

/// Runs `f(i)` for `i` in `0..n` on the team's number of threads, each
/// taking the next `i` in turn and running it [`alone`]. Results come back
/// in order; they are the same as a sequential run's whenever `f` is
/// deterministic, since no loop is split differently.
pub fn map_alone<R: Send>(n: usize, f: impl Fn(usize) -> R + Sync) -> Vec<R> {
    let threads = threads().min(n);
    if threads <= 1 {
        return alone(|| (0..n).map(&f).collect());
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<R>>> = (0..n).map(|_| Mutex::new(None)).collect();
    let work = || {
        alone(|| {
            loop {
                let i = next.fetch_add(1, SeqCst);
                if i >= n {
                    break;
                }
                let r = f(i);
                *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
            }
        })
    };
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        work();
    });
    slots
        .into_iter()
        .map(|m| {
            m.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every index ran")
        })
        .collect()
}

/// Runs `f(i, chunk)` over the consecutive `chunk`-long pieces of `data`
/// (the last may be shorter), spread over the team.
pub fn for_each_chunk<T: Send>(data: &mut [T], chunk: usize, f: impl Fn(usize, &mut [T]) + Sync) {
    let chunk = chunk.max(1);
    let len = data.len();
    let base = SendPtr(data.as_mut_ptr());
    for_each(len.div_ceil(chunk), |i| {
        let start = i * chunk;
        let n = chunk.min(len - start);
        // SAFETY: parts are disjoint pieces of `data`, which outlives the
        // loop, and each part runs exactly once.
        let piece = unsafe { std::slice::from_raw_parts_mut(base.get().add(start), n) };
        f(i, piece)
    });
}

struct SendPtr<T>(*mut T);
// SAFETY: used only to hand out disjoint pieces of one slice.
unsafe impl<T: Send> Sync for SendPtr<T> {}
impl<T> SendPtr<T> {
    fn get(&self) -> *mut T {
        self.0
    }
}

fn team() -> &'static Team {
    TEAM.get_or_init(|| {
        let wanted = match WANTED.load(SeqCst) {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        Team::start(wanted)
    })
}

/// One loop in progress: lives on the caller's stack while it runs.
struct Job<'a> {
    f: &'a (dyn Fn(usize) + Sync),
}

struct Shared {
    /// Generation (high 32 bits), part count (16 bits) and next unclaimed
    /// part (low 16 bits) of the current loop, changed together so that a
    /// worker can only claim a part of the loop it read.
    state: AtomicU64,
    /// The current loop's `Job`, valid while it has unfinished parts.
    job: AtomicPtr<Job<'static>>,
    /// Parts of the current loop that have finished.
    done: AtomicUsize,
    panicked: AtomicBool,
    /// Workers asleep (or about to be), and what wakes them.
    sleepers: AtomicUsize,
    lock: Mutex<()>,
    wake: Condvar,
}

struct Team {
    threads: usize,
    shared: Arc<Shared>,
    /// Held by the thread whose loop the team runs.
    caller: Mutex<()>,
}

impl Team {
    fn start(threads: usize) -> Team {
        let shared = Arc::new(Shared {
            state: AtomicU64::new(0),
            job: AtomicPtr::new(std::ptr::null_mut()),
            done: AtomicUsize::new(0),
            panicked: AtomicBool::new(false),
            sleepers: AtomicUsize::new(0),
            lock: Mutex::new(()),
            wake: Condvar::new(),
        });
        let mut started = 1;
        for i in 1..threads {
            let shared = Arc::clone(&shared);
            let spawned = std::thread::Builder::new()
                .name(format!("commons-model-{i}"))
                .spawn(move || shared.work());
            if spawned.is_ok() {
                started += 1;
            }
        }
        Team {
            threads: started,
            shared,
            caller: Mutex::new(()),
        }
    }

    /// One loop of `parts` (at most [`MAX_PARTS`]); the caller holds `caller`.
    fn run(&self, parts: usize, f: &(dyn Fn(usize) + Sync)) {
        let s = &*self.shared;
        let job = Job { f };
        s.done.store(0, SeqCst);
        s.job.store(&job as *const Job as *mut Job<'static>, SeqCst);
        let generation = (s.state.load(SeqCst) >> 32).wrapping_add(1) & 0xffff_ffff;
        s.state
            .store(generation << 32 | (parts as u64) << 16, SeqCst);
        if s.sleepers.load(SeqCst) > 0 {
            let _guard = s.lock.lock().unwrap_or_else(|e| e.into_inner());
            s.wake.notify_all();
        }
        s.claim_parts(generation, || &job);
        let mut spins = 0u32;
        while s.done.load(SeqCst) < parts {
            spins = spins.wrapping_add(1);
            if spins.is_multiple_of(4096) {
                std::thread::yield_now();
            } else {
                std::hint::spin_loop();
            }
        }
        s.job.store(std::ptr::null_mut(), SeqCst);
        if s.panicked.swap(false, SeqCst) {
            resume_unwind(Box::new("a model thread panicked"));
        }
    }
}

impl Shared {
    /// Claims and runs parts of loop `generation` until none is left;
    /// `job` gives the loop's job once a part is claimed.
    fn claim_parts<'a>(&'a self, generation: u64, job: impl Fn() -> &'a Job<'a>) {
        while let Some(i) = self.claim(generation) {
            if catch_unwind(AssertUnwindSafe(|| (job().f)(i))).is_err() {
                self.panicked.store(true, SeqCst);
            }
            self.done.fetch_add(1, SeqCst);
        }
    }

    /// The next part of loop `generation`, if that loop still has one.
    fn claim(&self, generation: u64) -> Option<usize> {
        let mut state = self.state.load(SeqCst);
        loop {
            let parts = (state >> 16) & 0xffff;
            let next = state & 0xffff;
            if state >> 32 != generation || next >= parts {
                return None;
            }
            match self
                .state
                .compare_exchange_weak(state, state + 1, SeqCst, SeqCst)
            {
                Ok(_) => return Some(next as usize),
                Err(now) => state = now,
            }
        }
    }

    /// A worker: waits for each new loop and takes parts of it.
    fn work(&self) {
        let mut seen = self.state.load(SeqCst) >> 32;
        loop {
            let generation = self.wait_for_next(seen);
            seen = generation;
            // The job is loaded only once a part is ours: the loop cannot
            // end, nor its `Job` go, before that part is done.
            // SAFETY: see above; the pointer was stored before the
            // generation the claim matched was published.
            self.claim_parts(generation, || unsafe { &*self.job.load(SeqCst) });
        }
    }

    /// Spins until a generation other than `seen` is published, then sleeps
    /// if none comes within [`SPIN`].
    fn wait_for_next(&self, seen: u64) -> u64 {
        let current = || self.state.load(SeqCst) >> 32;
        let start = Instant::now();
        let mut spins = 0u32;
        loop {
            let g = current();
            if g != seen {
                return g;
            }
            spins = spins.wrapping_add(1);
            if spins.is_multiple_of(1024) && start.elapsed() > SPIN {
                break;
            }
            std::hint::spin_loop();
        }
        let mut guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        self.sleepers.fetch_add(1, SeqCst);
        loop {
            let g = current();
            if g != seen {
                self.sleepers.fetch_sub(1, SeqCst);
                return g;
            }
            guard = self.wake.wait(guard).unwrap_or_else(|e| e.into_inner());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_runs_once() {
        set_threads(2);
        for parts in [0, 1, 2, 3, 17, 1000] {
            let hits: Vec<AtomicUsize> = (0..parts).map(|_| AtomicUsize::new(0)).collect();
            for_each(parts, |i| {
                hits[i].fetch_add(1, SeqCst);
            });
            assert!(hits.iter().all(|h| h.load(SeqCst) == 1), "{parts} parts");
        }
    }

    #[test]
    fn chunks_cover_the_slice() {
        let mut v = vec![0usize; 1001];
        for_each_chunk(&mut v, 64, |i, piece| {
            for (j, x) in piece.iter_mut().enumerate() {
                *x = i * 64 + j;
            }
        });
        assert!(v.iter().enumerate().all(|(i, &x)| i == x));
    }

    #[test]
    fn loops_from_many_threads_and_nested_loops_complete() {
        let total = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..200 {
                        for_each(8, |_| {
                            for_each(3, |_| {
                                total.fetch_add(1, SeqCst);
                            })
                        });
                    }
                });
            }
        });
        assert_eq!(total.load(SeqCst), 4 * 200 * 8 * 3);
    }

    #[test]
    fn items_side_by_side_come_back_in_order_and_keep_their_loops_alone() {
        let out = map_alone(50, |i| {
            let hits = AtomicUsize::new(0);
            for_each(8, |_| {
                assert!(ALONE.get(), "a loop left its thread");
                hits.fetch_add(1, SeqCst);
            });
            i * 10 + hits.load(SeqCst)
        });
        assert_eq!(out, (0..50).map(|i| i * 10 + 8).collect::<Vec<_>>());
        assert!(!ALONE.get());
    }

    #[test]
    fn a_panic_in_a_part_reaches_the_caller_and_the_team_goes_on() {
        let caught = catch_unwind(|| {
            for_each(16, |i| {
                if i == 5 {
                    panic!("part 5");
                }
            })
        });
        assert!(caught.is_err());
        let hits = AtomicUsize::new(0);
        let threads_seen = Mutex::new(std::collections::HashSet::new());
        for _ in 0..100 {
            for_each(16, |_| {
                hits.fetch_add(1, SeqCst);
                std::thread::sleep(Duration::from_micros(50));
                threads_seen
                    .lock()
                    .unwrap()
                    .insert(std::thread::current().id());
            });
        }
        assert_eq!(hits.load(SeqCst), 1600);
        if threads() > 1 {
            assert!(
                threads_seen.lock().unwrap().len() > 1,
                "the team still shares loops out"
            );
        }
    }
}
