//! Import of FIM XDatenfelder 2 Stammdatenschema files into ogkit form schemas.
