//! Chat templates: the Jinja template a model ships with (GGUF
//! `tokenizer.chat_template`, `tokenizer_config.json`'s `chat_template`),
//! rendered with minijinja the way Hugging Face's `apply_chat_template` does.

use serde::Serialize;

use crate::error::{Error, Result};

/// One turn of a conversation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChatMessage {
    pub role: String,
    pub content: String,
}

impl ChatMessage {
    pub fn user(content: impl Into<String>) -> ChatMessage {
        ChatMessage {
            role: "user".into(),
            content: content.into(),
        }
    }
}

/// A model's chat template with the special tokens it may refer to.
pub struct ChatTemplate {
    source: String,
    bos_token: String,
    eos_token: String,
}

impl ChatTemplate {
    pub fn new(
        source: impl Into<String>,
        bos_token: impl Into<String>,
        eos_token: impl Into<String>,
    ) -> ChatTemplate {
        ChatTemplate {
            source: source.into(),
            bos_token: bos_token.into(),
            eos_token: eos_token.into(),
        }
    }

    /// The prompt text for `messages`, ending where the assistant's reply
    /// begins.
    pub fn render(&self, messages: &[ChatMessage]) -> Result<String> {
        super::guarded(
            std::path::Path::new("tokenizer.chat_template"),
            "chat_template",
            || self.render_unguarded(messages),
        )
    }

    fn render_unguarded(&self, messages: &[ChatMessage]) -> Result<String> {
        let mut env = minijinja::Environment::new();
        // The template comes with the model: a stranger's program. Real chat
        // templates run a few thousand instructions; loops that would run
        // for hours, or build gigabytes of prompt, stop here with an error.
        env.set_fuel(Some(MAX_TEMPLATE_FUEL));
        env.add_function(
            "raise_exception",
            |msg: String| -> std::result::Result<String, minijinja::Error> {
                Err(minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    msg,
                ))
            },
        );
        env.set_unknown_method_callback(python_string_methods);
        let bad =
            |e: minijinja::Error| Error::Other(format!("the model's chat template failed: {e:#}"));
        env.add_template("chat", &self.source).map_err(bad)?;
        let tmpl = env.get_template("chat").map_err(bad)?;
        tmpl.render(minijinja::context! {
            messages => messages,
            add_generation_prompt => true,
            bos_token => self.bos_token,
            eos_token => self.eos_token,
        })
        .map_err(bad)
    }
}

/// Instructions a chat template may run for one prompt.
const MAX_TEMPLATE_FUEL: u64 = 10_000_000;

/// The few Python string methods chat templates call (`strip`, `startswith`, …).
fn python_string_methods(
    _state: &minijinja::State,
    value: &minijinja::Value,
    method: &str,
    args: &[minijinja::Value],
) -> std::result::Result<minijinja::Value, minijinja::Error> {
    let unknown = || {
        minijinja::Error::new(
            minijinja::ErrorKind::UnknownMethod,
            format!("no method {method}"),
        )
    };
    let s = value.as_str().ok_or_else(unknown)?;
    let arg = |i: usize| args.get(i).and_then(|a| a.as_str()).unwrap_or("");
    Ok(match method {
        "strip" => s.trim().into(),
        "lstrip" => s.trim_start().into(),
        "rstrip" => s.trim_end().into(),
        "lower" => s.to_lowercase().into(),
        "upper" => s.to_uppercase().into(),
        "startswith" => s.starts_with(arg(0)).into(),
        "endswith" => s.ends_with(arg(0)).into(),
        "split" => s
            .split(arg(0))
            .map(minijinja::Value::from)
            .collect::<Vec<_>>()
            .into(),
        "replace" => s.replace(arg(0), arg(1)).into(),
        _ => return Err(unknown()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_chatml_template() {
        let t = ChatTemplate::new(
            "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content | trim }}<|im_end|>\n{% endfor %}\
             {% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}",
            "<s>",
            "</s>",
        );
        let out = t.render(&[ChatMessage::user(" Hi ")]).unwrap();
        assert_eq!(
            out,
            "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
        );
    }

    #[test]
    fn a_template_that_would_run_for_hours_is_stopped() {
        let t = ChatTemplate::new(
            "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
            "",
            "",
        );
        let started = std::time::Instant::now();
        let err = t.render(&[ChatMessage::user("x")]).unwrap_err().to_string();
        assert!(err.contains("chat template failed"), "{err}");
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }

    #[test]
    fn fuzz_chat_template() {
        let words: &[&[u8]] = &[
            b"{{",
            b"}}",
            b"{%",
            b"%}",
            b" for m in messages ",
            b" endfor ",
            b" if ",
            b" endif ",
            b"m.content",
            b"m['role']",
            b".strip()",
            b".split('a')",
            b" | trim",
            b"range(",
            b")",
            b"loop.index",
            b"raise_exception('x')",
            b" macro f() ",
            b"f()",
            b" endmacro ",
            b"*",
            b"~",
            b"bos_token",
            b"add_generation_prompt",
        ];
        crate::fuzz::fuzz("chat-template", words, Vec::new(), |bytes| {
            if let Ok(source) = std::str::from_utf8(bytes) {
                let template = ChatTemplate::new(source, "<s>", "</s>");
                let _ = template.render(&[
                    ChatMessage::user("Hi"),
                    ChatMessage {
                        role: "assistant".into(),
                        content: "Hello".into(),
                    },
                    ChatMessage::user("again"),
                ]);
            }
        });
    }

    #[test]
    fn template_errors_are_reported() {
        let t = ChatTemplate::new("{{ raise_exception('roles must alternate') }}", "", "");
        let err = t.render(&[ChatMessage::user("x")]).unwrap_err().to_string();
        assert!(err.contains("roles must alternate"), "{err}");
        let t = ChatTemplate::new("{{ messages[0].content.strip().upper() }}", "", "");
        assert_eq!(t.render(&[ChatMessage::user(" a ")]).unwrap(), "A");
    }
}
