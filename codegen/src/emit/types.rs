//! Emits named object types, open enums, and the Rust spelling of field types.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{const_int, docs, ident};
use crate::ir::{Enum, EnumKind, Field, RustType, Struct, WireValue};

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

/// A struct decoded from and encoded to JSON.
pub fn object(def: &Struct) -> TokenStream {
    let name = ident(&def.name);
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
    // `Default` where every field has an empty value, so paginators (and users) can start from one.
    let default = def.fields.iter().all(|f| {
        !f.required
            || matches!(
                f.ty,
                RustType::String
                    | RustType::I32
                    | RustType::I64
                    | RustType::F64
                    | RustType::Bool
                    | RustType::Vec(_)
                    | RustType::Json
            )
    });
    let default = if default { quote!(Default,) } else { quote!() };
    quote! {
        #doc
        #[derive(Clone, Debug, #default PartialEq, ::serde::Deserialize, ::serde::Serialize)]
        pub struct #name {
            #(#fields)*
        }
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
    let names: Vec<_> = def.variants.iter().map(|v| ident(&v.name)).collect();
    let (unknown, conversions) = match def.kind {
        EnumKind::String => {
            let values: Vec<&str> = def
                .variants
                .iter()
                .map(|v| match &v.value {
                    WireValue::Str(s) => s.as_str(),
                    WireValue::Int(_) => "",
                })
                .collect();
            (
                quote!(Unknown(String)),
                quote! {
                    impl crate::value::StringEnum for #name {
                        fn from_wire(value: &str) -> Self {
                            match value {
                                #(#values => Self::#names,)*
                                other => Self::Unknown(other.to_owned()),
                            }
                        }
                        fn as_wire(&self) -> &str {
                            match self {
                                #(Self::#names => #values,)*
                                Self::Unknown(other) => other,
                            }
                        }
                    }
                    crate::__private::impl_string_enum!(#name);
                },
            )
        }
        EnumKind::Integer => {
            let values: Vec<Literal> = def
                .variants
                .iter()
                .map(|v| {
                    Literal::i64_unsuffixed(match &v.value {
                        WireValue::Int(i) => *i,
                        WireValue::Str(_) => 0,
                    })
                })
                .collect();
            (
                quote!(Unknown(i64)),
                quote! {
                    impl crate::value::IntEnum for #name {
                        fn from_wire(value: i64) -> Self {
                            match value {
                                #(#values => Self::#names,)*
                                other => Self::Unknown(other),
                            }
                        }
                        fn to_wire(&self) -> i64 {
                            match self {
                                #(Self::#names => #values,)*
                                Self::Unknown(other) => *other,
                            }
                        }
                    }
                    crate::__private::impl_int_enum!(#name);
                },
            )
        }
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
