//! Reusable pieces of the screens.

pub mod choice_list;
pub mod hints;
pub mod secret_field;
pub mod spinner;
pub mod text_field;
