//! Pieces of markup shared by the widgets.

pub mod richtext;
