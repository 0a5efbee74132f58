//! A file that is one module, cut into its items so they can be formatted apart.
//!
//! Cutting works on tokens, without parsing: an item ends at a `;` or at a `{ … }` block that
//! is followed by the start of another item (an attribute's `#` or a word other than `as` and
//! `else`). A cut in the wrong place gives a piece that does not parse, and the caller then
//! formats the file whole; so the rule only has to be right for the code the generator emits
//! to be fast, never to be correct.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// A module cut into items.
pub(crate) struct Module {
    /// What comes before the module's block (its attributes, `pub mod name`), as source text.
    pub head: String,
    /// Its items, as source text, in order.
    pub items: Vec<String>,
}

/// Cuts `tokens` when they are one module with a block (attributes, `pub mod name { … }`,
/// nothing after) that starts with no inner attribute; `None` otherwise.
pub(crate) fn split(tokens: &TokenStream) -> Option<Module> {
    let mut top: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let Some(TokenTree::Group(block)) = top.pop() else { return None };
    let is_mod = matches!(top.as_slice(), [.., TokenTree::Ident(m), TokenTree::Ident(_)] if m == "mod");
    if block.delimiter() != Delimiter::Brace || !is_mod {
        return None;
    }
    let body: Vec<TokenTree> = block.stream().into_iter().collect();
    if matches!(body.as_slice(), [TokenTree::Punct(hash), TokenTree::Punct(bang), ..] if hash.as_char() == '#' && bang.as_char() == '!')
    {
        return None;
    }
    let mut items = Vec::new();
    let mut start = 0;
    for (i, token) in body.iter().enumerate() {
        let ends = match token {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => g.delimiter() == Delimiter::Brace && starts_item(body.get(i + 1)),
            TokenTree::Ident(_) | TokenTree::Literal(_) => false,
        };
        if ends {
            items.push(text(&body[start..=i]));
            start = i + 1;
        }
    }
    if start < body.len() {
        items.push(text(&body[start..]));
    }
    Some(Module { head: text(&top), items })
}

/// Whether the token after a block starts another item (or there is none).
fn starts_item(next: Option<&TokenTree>) -> bool {
    match next {
        None => true,
        Some(TokenTree::Punct(p)) => p.as_char() == '#',
        Some(TokenTree::Ident(word)) => word != "as" && word != "else",
        Some(TokenTree::Group(_) | TokenTree::Literal(_)) => false,
    }
}

fn text(tokens: &[TokenTree]) -> String {
    tokens.iter().cloned().collect::<TokenStream>().to_string()
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn a_module_is_cut_after_each_item() {
        let tokens = quote! {
            #[doc = " M."]
            pub mod m {
                pub static S: T = T { a: 1 };
                #[derive(Debug)]
                pub struct A { a: u8 }
                impl X<{ -1 }> for A {}
                crate::m! { x }
                crate::n!(y);
                pub mod inner { fn f() {} }
            }
        };
        let module = split(&tokens).expect("one module");
        assert_eq!(module.head, "# [doc = \" M.\"] pub mod m");
        assert_eq!(
            module.items,
            [
                "pub static S : T = T { a : 1 } ;",
                "# [derive (Debug)] pub struct A { a : u8 }",
                "impl X < { - 1 } > for A { }",
                "crate :: m ! { x }",
                "crate :: n ! (y) ;",
                "pub mod inner { fn f () { } }",
            ]
        );
    }

    #[test]
    fn other_files_are_not_cut() {
        assert!(split(&quote!(pub struct A;)).is_none());
        assert!(split(&quote!(pub mod m { #![allow(x)] struct A; })).is_none());
        assert!(split(&quote!(pub mod m {} struct A;)).is_none());
        assert!(split(&quote!(pub mod m;)).is_none());
    }
}
