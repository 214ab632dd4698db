//! The AWS config and credentials files: locate, parse, edit and write them, losslessly
//! and safely. Knows nothing of any user interface.

pub mod document;
pub mod locate;
pub mod parse;
pub mod view;
