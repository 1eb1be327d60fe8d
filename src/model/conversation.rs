//! [`Conversation`]: a chat with a model that keeps the whole conversation
//! and its key/value state between turns, so that each turn processes only
//! its new tokens (as llama.cpp's `llama-cli` does): the conversation is
//! rendered again through the chat template, and when the new text extends
//! what the model has already seen, only the extension is tokenized and fed.

use super::causal::{CausalLm, Generation, Session};
use super::chat::{ChatMessage, ChatTemplate};
use super::sampling::SamplingParams;
use crate::error::{Error, Result};

/// A conversation in progress.
pub struct Conversation<'m> {
    model: &'m CausalLm,
    template: ChatTemplate,
    messages: Vec<ChatMessage>,
    session: Session,
    /// Every token of the conversation so far: what was fed, the reply's
    /// last token and the end-of-turn token, which the next turn feeds.
    history: Vec<u32>,
    /// The text those tokens stand for.
    text: String,
}

impl<'m> Conversation<'m> {
    /// A conversation in the model's chat template, in a context of at most
    /// `context` tokens, opened by `system` when given.
    pub fn new(
        model: &'m CausalLm,
        context: usize,
        system: Option<&str>,
    ) -> Result<Conversation<'m>> {
        let source = model.chat_template().ok_or_else(|| {
            Error::Usage("the model stores no chat template; run without --chat".into())
        })?;
        let token = |id: Option<u32>| {
            id.and_then(|i| model.tokenizer().token_text(i))
                .unwrap_or_default()
        };
        let template =
            ChatTemplate::new(source, token(model.bos_token()), token(model.eos_token()));
        let messages = system
            .map(|s| ChatMessage {
                role: "system".into(),
                content: s.to_owned(),
            })
            .into_iter()
            .collect();
        Ok(Conversation {
            model,
            template,
            messages,
            session: model.session_with_context(context),
            history: Vec::new(),
            text: String::new(),
        })
    }

    /// The model's reply to `user`, generated as [`CausalLm::generate`]
    /// does; `on_token` sees each token of it.
    pub fn reply(
        &mut self,
        user: &str,
        params: SamplingParams,
        max_tokens: usize,
        on_token: impl FnMut(u32) -> Result<bool>,
    ) -> Result<Generation> {
        self.messages.push(ChatMessage::user(user));
        let prompt = self.template.render(&self.messages)?;
        let new = self.new_tokens(&prompt)?;
        self.history.extend_from_slice(&new);
        self.text = prompt;
        let pending = self.history[self.session.len()..].to_vec();
        let generation =
            self.model
                .generate_in(&mut self.session, &pending, params, max_tokens, on_token)?;
        let reply = self.model.decode(&generation.tokens)?;
        self.history.extend_from_slice(&generation.tokens);
        self.text.push_str(&reply);
        if let Some(end) = generation.end_token {
            self.history.push(end);
            self.text
                .push_str(&self.model.tokenizer().token_text(end).unwrap_or_default());
        }
        self.messages.push(ChatMessage {
            role: "assistant".into(),
            content: reply,
        });
        Ok(generation)
    }

    /// The tokens `prompt` adds to the conversation: only its extension
    /// when it begins with the text seen so far, else the whole of it in a
    /// fresh session (a template that rewrites earlier turns).
    fn new_tokens(&mut self, prompt: &str) -> Result<Vec<u32>> {
        if !self.history.is_empty() {
            if let Some(extension) = prompt.strip_prefix(self.text.as_str()) {
                return self.model.encode(extension, false);
            }
            self.session = self.model.session_with_context(self.session.limit());
            self.history.clear();
        }
        // A template that writes BOS itself must not get a second one.
        let bos_written = self
            .model
            .bos_token()
            .and_then(|b| self.model.tokenizer().token_text(b))
            .is_some_and(|b| prompt.starts_with(&b));
        self.model
            .encode(prompt, self.model.adds_bos() && !bos_written)
    }
}
