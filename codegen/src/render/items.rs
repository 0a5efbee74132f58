//! A file that is one module, cut into its items so they can be formatted apart.
//!
//! Cutting works on tokens, without parsing: an item ends at a `;` or at a `{ … }` block that
//! is followed by the start of another item (an attribute's `#` or a word other than `as` and
//! `else`). A cut in the wrong place gives a piece that does not parse, and the caller then
//! formats the file whole; so the rule only has to be right for the code the generator emits
//! to be fast, never to be correct.

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};

/// A module cut into pieces of consecutive items.
pub(crate) struct Module {
    /// What comes before the module's block (its attributes, `pub mod name`).
    pub head: Vec<TokenTree>,
    /// Its items in pieces of about the same size, in order; `None` once taken.
    pub pieces: Vec<Option<Vec<TokenTree>>>,
}

impl Module {
    /// The head followed by an empty block: `pub mod name {}`.
    pub(crate) fn head_alone(&self) -> TokenStream {
        let mut tokens: TokenStream = self.head.iter().cloned().collect();
        tokens.extend([TokenTree::Group(Group::new(Delimiter::Brace, TokenStream::new()))]);
        tokens
    }

    /// Piece `index` inside a module of its own, `mod m { … }`, so that its items are printed
    /// at the indentation they have in the file; `None` when taken already or out of range.
    pub(crate) fn take_piece(&mut self, index: usize) -> Option<TokenStream> {
        let items: TokenStream = self.pieces.get_mut(index)?.take()?.into_iter().collect();
        let module = [
            TokenTree::Ident(Ident::new("mod", Span::call_site())),
            TokenTree::Ident(Ident::new("m", Span::call_site())),
            TokenTree::Group(Group::new(Delimiter::Brace, items)),
        ];
        Some(module.into_iter().collect())
    }
}

/// What a piece of a module prints as starts with this line and ends with [`PIECE_END`].
pub(crate) const PIECE_START: &str = "mod m {\n";
/// The last line of a printed piece.
pub(crate) const PIECE_END: &str = "}\n";

/// Cuts `tokens` into at most `count` pieces when they are one module with a block
/// (attributes, `pub mod name { … }`, nothing after) that starts with no inner attribute;
/// otherwise gives the tokens back.
pub(crate) fn split(tokens: TokenStream, count: usize) -> Result<Module, TokenStream> {
    let mut top: Vec<TokenTree> = tokens.into_iter().collect();
    let block = match top.last() {
        Some(TokenTree::Group(block)) if block.delimiter() == Delimiter::Brace => block.stream(),
        _ => return Err(top.into_iter().collect()),
    };
    let is_mod = matches!(&top[..top.len() - 1], [.., TokenTree::Ident(m), TokenTree::Ident(_)] if m == "mod");
    let body: Vec<TokenTree> = block.into_iter().collect();
    let inner_attribute = matches!(body.as_slice(), [TokenTree::Punct(hash), TokenTree::Punct(bang), ..] if hash.as_char() == '#' && bang.as_char() == '!');
    if !is_mod || inner_attribute {
        return Err(top.into_iter().collect());
    }
    top.pop();
    let ends: Vec<usize> = (0..body.len()).filter(|&i| ends_item(&body, i)).collect();
    let target = body.len().div_ceil(count.max(1));
    let mut pieces = Vec::new();
    let mut piece = Vec::new();
    let mut ends = ends.into_iter().peekable();
    for (i, token) in body.into_iter().enumerate() {
        piece.push(token);
        if ends.next_if_eq(&i).is_some() && piece.len() >= target {
            pieces.push(Some(std::mem::take(&mut piece)));
        }
    }
    if !piece.is_empty() {
        pieces.push(Some(piece));
    }
    Ok(Module { head: top, pieces })
}

/// Whether the token at `i` ends an item: a `;`, or a block followed by the start of another
/// item (or by nothing).
fn ends_item(body: &[TokenTree], i: usize) -> bool {
    match &body[i] {
        TokenTree::Punct(p) => p.as_char() == ';',
        TokenTree::Group(g) => {
            g.delimiter() == Delimiter::Brace
                && match body.get(i + 1) {
                    None => true,
                    Some(TokenTree::Punct(p)) => p.as_char() == '#',
                    Some(TokenTree::Ident(word)) => word != "as" && word != "else",
                    Some(TokenTree::Group(_) | TokenTree::Literal(_)) => false,
                }
        }
        TokenTree::Ident(_) | TokenTree::Literal(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn pieces(tokens: TokenStream, count: usize) -> Vec<String> {
        let mut module = split(tokens, count).unwrap_or_else(|t| panic!("not one module: {t}"));
        (0..module.pieces.len()).map(|i| module.take_piece(i).expect("a piece").to_string()).collect()
    }

    #[test]
    fn a_module_is_cut_after_items() {
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
        let module = split(tokens.clone(), 2).unwrap_or_else(|_| panic!("one module"));
        assert_eq!(module.head_alone().to_string(), "# [doc = \" M.\"] pub mod m { }");
        assert_eq!(
            pieces(tokens.clone(), 100),
            [
                "mod m { pub static S : T = T { a : 1 } ; }",
                "mod m { # [derive (Debug)] pub struct A { a : u8 } }",
                "mod m { impl X < { - 1 } > for A { } }",
                "mod m { crate :: m ! { x } }",
                "mod m { crate :: n ! (y) ; }",
                "mod m { pub mod inner { fn f () { } } }",
            ]
        );
        assert_eq!(pieces(tokens.clone(), 1).len(), 1);
        assert_eq!(pieces(tokens, 2).len(), 2);
    }

    #[test]
    fn other_files_are_not_cut() {
        assert!(
            split(
                quote!(
                    pub struct A;
                ),
                2
            )
            .is_err()
        );
        assert!(
            split(
                quote!(
                    pub mod m {
                        #![allow(x)]
                        struct A;
                    }
                ),
                2
            )
            .is_err()
        );
        assert!(
            split(
                quote!(
                    pub mod m {}
                    struct A;
                ),
                2
            )
            .is_err()
        );
        assert!(
            split(
                quote!(
                    pub mod m;
                ),
                2
            )
            .is_err()
        );
    }
}
