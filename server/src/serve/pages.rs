//! Error pages for browsers, in German and English.
//!
//! The pages are static text: they never echo the requested path, so
//! nothing from the request can end up as markup. They use no inline
//! styles or scripts, because the Content-Security-Policy forbids both.

use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Returns the error page for `status` (400, 404, 405 or 500; other codes
/// get the 500 text).
pub(crate) fn error_page(status: StatusCode) -> Response {
    let (title_de, text_de, title_en, text_en) = match status {
        StatusCode::BAD_REQUEST => (
            "Ungültige Adresse",
            "Die Adresse enthält Zeichen oder Pfadteile, die dieser Server nicht annimmt.",
            "Invalid address",
            "The address contains characters or path segments that this server does not accept.",
        ),
        StatusCode::NOT_FOUND => (
            "Seite nicht gefunden",
            "Unter dieser Adresse gibt es keine Seite. Bitte prüfen Sie die Adresse.",
            "Page not found",
            "There is no page at this address. Please check the address.",
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "Anfrage nicht erlaubt",
            "Diese Adresse kann nur abgerufen, aber nicht verändert werden.",
            "Request not allowed",
            "This address can only be read, not changed.",
        ),
        _ => (
            "Interner Fehler",
            "Beim Laden dieser Seite ist ein Fehler aufgetreten. Bitte versuchen Sie es später noch einmal.",
            "Internal error",
            "Loading this page failed. Please try again later.",
        ),
    };
    let html = format!(
        "<!doctype html>\n\
         <html lang=\"de\">\n\
         <head>\n\
         <meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title_de} – {title_en}</title>\n\
         </head>\n\
         <body>\n\
         <main>\n\
         <h1>{title_de}</h1>\n\
         <p>{text_de} <a href=\"/\">Zur Startseite</a></p>\n\
         <div lang=\"en\">\n\
         <h2>{title_en}</h2>\n\
         <p>{text_en} <a href=\"/\">Go to the home page</a></p>\n\
         </div>\n\
         </main>\n\
         </body>\n\
         </html>\n"
    );
    (
        status,
        [(
            CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        html,
    )
        .into_response()
}
