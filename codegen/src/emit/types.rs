//! Emits named object types, open enums, and the Rust spelling of field types.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{const_int, docs, ident};
use crate::ir::{Enum, EnumKind, Field, RustType, Struct, TimeForm, WireValue};

/// The Rust type of a field value (without the `Option` of optional fields).
pub fn rust_type(ty: &RustType) -> TokenStream {
    match ty {
        RustType::String => quote!(String),
        RustType::I32 => quote!(i32),
        RustType::I64 => quote!(i64),
        RustType::F64 => quote!(f64),
        RustType::Bool => quote!(bool),
        RustType::Timestamp => quote!(crate::value::Timestamp),
        RustType::EpochMillis => quote!(crate::value::EpochMillis),
        RustType::EpochSeconds => quote!(crate::value::EpochSeconds),
        RustType::AnyTime(forms, offset) => {
            let offset = const_int(*offset);
            // The forms packed as `value::time_forms` packs them (one hex digit per form, the
            // first form last), written as a literal: a const expression in a field's type
            // would need syn's `full` feature in serde's derive.
            let packed = forms.iter().rev().fold(0_u32, |packed, form| {
                (packed << 4)
                    | match form {
                        TimeForm::Rfc3339 => 1,
                        TimeForm::LocalDateTime => 2,
                        TimeForm::EpochSeconds => 3,
                        TimeForm::EpochMillis => 4,
                    }
            });
            let forms: TokenStream = format!("{packed:#x}").parse().unwrap_or_default();
            quote!(crate::value::AnyTime<#forms, #offset>)
        }
        RustType::LocalDateTime(offset) => {
            let offset = const_int(*offset);
            quote!(crate::value::LocalDateTime<#offset>)
        }
        RustType::Json => quote!(::serde_json::Value),
        RustType::Vec(item) => {
            let item = rust_type(item);
            quote!(Vec<#item>)
        }
        RustType::OneOrMany(item) => {
            let item = rust_type(item);
            quote!(crate::value::OneOrMany<#item>)
        }
        RustType::StringOrNumber => quote!(crate::value::StringOrNumber),
        RustType::Struct(name) | RustType::Enum(name) => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

/// The declared type of a field: `Option<T>` when the value may be absent.
pub fn field_type(field: &Field) -> TokenStream {
    let ty = rust_type(&field.ty);
    if field.required { ty } else { quote!(Option<#ty>) }
}

/// `#[serde(rename = ...)]` when the wire name differs from the field's name.
pub fn rename_attr(field: &Field) -> TokenStream {
    let wire = &field.wire_name;
    if *wire == field.rust_name { quote!() } else { quote!(#[serde(rename = #wire)]) }
}

/// `#[serde(...)]` for a field: the wire name when it differs, and skipping absent optionals.
pub fn serde_attrs(field: &Field) -> TokenStream {
    let mut parts = Vec::new();
    if field.wire_name != field.rust_name {
        let wire = &field.wire_name;
        parts.push(quote!(rename = #wire));
    }
    if !field.required {
        parts.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    if parts.is_empty() { quote!() } else { quote!(#[serde(#(#parts),*)]) }
}

/// `Deserialize` for a struct through the runtime's macro (a fraction of what the derive
/// writes): each field from its wire key, then the `rest` (`; meta` for a response).
pub fn deserialize(name: &proc_macro2::Ident, fields: &[Field], rest: &TokenStream) -> TokenStream {
    let names = fields.iter().map(|f| ident(&f.rust_name));
    let wires = fields.iter().map(|f| &f.wire_name);
    quote!(crate::__private::impl_deserialize!(#name { #(#names = #wires),* #rest });)
}

/// A struct decoded from and encoded to JSON.
pub fn object(def: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let decode = deserialize(&name, &def.fields, &quote!());
    let doc = docs(&def.docs);
    let fields = def.fields.iter().map(|f| {
        let field_docs = docs(&f.docs);
        let serde = serde_attrs(f);
        let rust = ident(&f.rust_name);
        let ty = field_type(f);
        quote! {
            #field_docs
            #serde
            pub #rust: #ty,
        }
    });
    quote! {
        #doc
        #[derive(Clone, Debug, Default, PartialEq, ::serde::Serialize)]
        pub struct #name {
            #(#fields)*
        }
        #decode
    }
}

/// An open enum: known values as variants, anything else kept in `Unknown`.
pub fn enumeration(def: &Enum) -> TokenStream {
    let name = ident(&def.name);
    let doc = docs(&def.docs);
    let variants = def.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let variant_docs = docs(&v.docs);
        quote!(#variant_docs #variant,)
    });
    let names = def.variants.iter().map(|v| ident(&v.name));
    let values = def.variants.iter().map(|v| match &v.value {
        WireValue::Str(s) => Literal::string(s),
        WireValue::Int(i) => Literal::i64_unsuffixed(*i),
    });
    let pairs = quote!(#name { #(#names = #values),* });
    let (unknown, conversions) = match def.kind {
        EnumKind::String => (quote!(Unknown(String)), quote!(crate::__private::impl_string_enum!(#pairs);)),
        EnumKind::Integer => (quote!(Unknown(i64)), quote!(crate::__private::impl_int_enum!(#pairs);)),
    };
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know, kept as received.
            #unknown,
        }
        #conversions
    }
}
