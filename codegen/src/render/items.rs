//! Items of a module printed apart: a piece of a module's items goes inside a module of its own,
//! `mod m { … }`, so that `prettyplease` prints its items at the indentation they have in the
//! file, and the printed piece is that module's lines without its first and last.

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};

/// What a piece of a module prints as starts with this line and ends with [`PIECE_END`].
pub(crate) const PIECE_START: &str = "mod m {\n";
/// The last line of a printed piece.
pub(crate) const PIECE_END: &str = "}\n";

/// `items` inside `mod m { … }`.
pub(crate) fn in_module(items: TokenStream) -> TokenStream {
    [
        TokenTree::Ident(Ident::new("mod", Span::call_site())),
        TokenTree::Ident(Ident::new("m", Span::call_site())),
        TokenTree::Group(Group::new(Delimiter::Brace, items)),
    ]
    .into_iter()
    .collect()
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn items_print_inside_a_module_at_its_indentation() {
        let items = quote! {
            #[derive(Debug)]
            pub struct A { a: u8 }
            crate::n!(y);
        };
        let file: syn::File = syn::parse2(in_module(items)).expect("parses");
        let printed = prettyplease::unparse(&file);
        assert!(printed.starts_with(PIECE_START) && printed.ends_with(PIECE_END), "{printed}");
        assert!(printed.contains("\n    pub struct A {\n        a: u8,\n    }\n"), "{printed}");
    }
}
