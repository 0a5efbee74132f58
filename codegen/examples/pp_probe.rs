fn main() {
    let src = r#"
pub mod m {
    crate::__private::string_enum! {
        /// How a widget processes items.
        pub enum WidgetMode {
            /// `fast`: Lowest latency.
            Fast = "fast",
            /// `balanced`: Latency and cost balanced.
            Balanced = "balanced",
        }
    }
    crate::__private::operation_errors! {
        /// Errors of `UpdateWidget0001`.
        pub enum Error {
            /// `Widget.0404` (HTTP 404): The widget does not exist.
            Widget0404 = "Widget.0404",
        }
    }
    crate::__private::setters!(Builder<C> { widget_id: String, dry_run: bool, display_name: String });
}
"#;
    let file: syn::File = syn::parse_str(src).unwrap();
    println!("{}", prettyplease::unparse(&file));
}
