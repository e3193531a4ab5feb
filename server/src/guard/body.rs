//! Request bodies with a size limit.

use axum::body::{Body, Bytes};
use http_body_util::{BodyExt as _, LengthLimitError, Limited};
use serde::de::DeserializeOwned;

use super::GuardError;

/// Reads a body of at most `limit` bytes. The limit holds while reading,
/// so a client cannot make the server buffer more than `limit` bytes,
/// whatever `Content-Length` says.
pub(crate) async fn read_body(body: Body, limit: usize) -> Result<Bytes, GuardError> {
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => {
            Err(GuardError::PayloadTooLarge { limit })
        }
        Err(error) => Err(GuardError::BadRequest { reason: format!("failed to read the request body: {error}") }),
    }
}

/// Reads a JSON body of at most `limit` bytes.
pub(crate) async fn read_json<T: DeserializeOwned>(body: Body, limit: usize) -> Result<T, GuardError> {
    let bytes = read_body(body, limit).await?;
    serde_json::from_slice(&bytes).map_err(|error| GuardError::BadJson { reason: error.to_string() })
}
