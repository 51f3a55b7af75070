//! Compiles the `.slint` views, with the English translation bundled and the element
//! debug information that the accessibility-driven UI tests need to find elements.

use slint_build::{CompilerConfiguration, DefaultTranslationContext};

fn main() {
    let config = CompilerConfiguration::new()
        .with_bundled_translations("lang")
        .with_default_translation_context(DefaultTranslationContext::None)
        .with_debug_info(true);
    slint_build::compile_with_config("ui/app.slint", config)
        .expect("the kiosk's .slint views compile");
}
