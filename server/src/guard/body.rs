//! JSON request bodies with a size limit.

use axum::body::Body;
use http_body_util::{BodyExt as _, LengthLimitError, Limited};
use serde::de::DeserializeOwned;

use super::GuardError;

/// Reads a JSON body of at most `limit` bytes. The limit holds while
/// reading, so a client cannot make the server buffer more than `limit`
/// bytes, whatever `Content-Length` says.
pub(crate) async fn read_json<T: DeserializeOwned>(body: Body, limit: usize) -> Result<T, GuardError> {
    let bytes = match Limited::new(body, limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => {
            return Err(GuardError::PayloadTooLarge { limit })
        }
        Err(error) => {
            return Err(GuardError::BadRequest { reason: format!("failed to read the request body: {error}") })
        }
    };
    serde_json::from_slice(&bytes).map_err(|error| GuardError::BadJson { reason: error.to_string() })
}
