//! Emits named object types, open enums, and the Rust spelling of field types.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::checks::Checked;
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

/// `field = "wireName"` for the runtime's serde macros, or `field` when the wire name is the
/// field's name.
pub fn wire_entry(field: &Field) -> TokenStream {
    let rust = ident(&field.rust_name);
    let wire = &field.wire_name;
    if *wire == field.rust_name { quote!(#rust) } else { quote!(#rust = #wire) }
}

/// The fields of a struct for the runtime's `impl_object!`: each with its wire name, an
/// optional one marked `optional` (left out of the encoding when `None`), and for a struct
/// that `checked` says requests check, each field's rules (see [`Checked::field_rules`]).
pub fn object_entries(def: &Struct, checked: &Checked) -> TokenStream {
    let with_rules = checked.is_checked(&def.name);
    let entries = def.fields.iter().map(|f| {
        let entry = wire_entry(f);
        let optional = (!f.required).then(|| quote!(optional));
        let rules = with_rules.then(|| checked.field_rules(f));
        quote!(#entry #optional #rules)
    });
    quote!(#(#entries),*)
}

/// A struct's definition (its serde comes from the runtime's macro, see [`object`]).
pub fn object_type(def: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let doc = docs(&def.docs);
    let fields = def.fields.iter().map(|f| {
        let field_docs = docs(&f.docs);
        let rust = ident(&f.rust_name);
        let ty = field_type(f);
        quote!(#field_docs pub #rust: #ty,)
    });
    quote! {
        #doc
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct #name {
            #(#fields)*
        }
    }
}

/// A struct decoded from and encoded to JSON, through the runtime's macro (a fraction of what
/// serde's derives write): each field under its wire key, an absent optional left out.
pub fn object(def: &Struct, checked: &Checked) -> TokenStream {
    let name = ident(&def.name);
    let definition = object_type(def);
    let entries = object_entries(def, checked);
    quote! {
        #definition
        crate::__private::impl_object!(#name { #entries });
    }
}

/// An open enum's definition: known values as variants, anything else kept in `Unknown` (its
/// conversions come from the runtime's macro, see [`enumeration`]).
pub fn enumeration_type(def: &Enum) -> TokenStream {
    let name = ident(&def.name);
    let doc = docs(&def.docs);
    let variants = def.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let variant_docs = docs(&v.docs);
        quote!(#variant_docs #variant,)
    });
    let unknown = match def.kind {
        EnumKind::String => quote!(Unknown(String)),
        EnumKind::Integer => quote!(Unknown(i64)),
    };
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know, kept as received.
            #unknown,
        }
    }
}

/// The `Variant = value` pairs of an open enum, for the runtime's enum macros.
pub fn enumeration_values(def: &Enum) -> TokenStream {
    let names = def.variants.iter().map(|v| ident(&v.name));
    let values = def.variants.iter().map(|v| match &v.value {
        WireValue::Str(s) => Literal::string(s),
        WireValue::Int(i) => Literal::i64_unsuffixed(*i),
    });
    quote!(#(#names = #values),*)
}

/// An open enum: its definition and the runtime's conversions (`Display`, `FromStr`, serde).
pub fn enumeration(def: &Enum) -> TokenStream {
    let name = ident(&def.name);
    let definition = enumeration_type(def);
    let values = enumeration_values(def);
    let conversions = match def.kind {
        EnumKind::String => quote!(crate::__private::impl_string_enum!(#name { #values });),
        EnumKind::Integer => quote!(crate::__private::impl_int_enum!(#name { #values });),
    };
    quote!(#definition #conversions)
}
