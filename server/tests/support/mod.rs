//! A running `ogkit serve` and a minimal HTTP/1.1 client for the process
//! tests. The client speaks keep-alive over a plain TCP socket and reads
//! bodies by `Content-Length`, which is all the JSON API sends.

#![allow(dead_code, unreachable_pub)]

use std::io::{self, BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;

pub const OGKIT: &str = env!("CARGO_BIN_EXE_ogkit");

/// A running `ogkit serve` on a free port of 127.0.0.1.
pub struct Server {
    child: Child,
    pub address: String,
    /// Everything the server wrote to stderr.
    log: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `ogkit serve --addr 127.0.0.1:0` with `arguments` and
    /// `RUST_LOG=log_filter`, and waits for its `listening on` line.
    pub fn start(arguments: &[&std::ffi::OsStr], log_filter: &str) -> Server {
        let mut child = Command::new(OGKIT)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(arguments)
            .env("RUST_LOG", log_filter)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the ogkit binary starts");
        let mut stderr = BufReader::new(child.stderr.take().expect("stderr is piped"));
        let mut log = String::new();
        let address = loop {
            let mut line = String::new();
            let read = stderr.read_line(&mut line).expect("stderr is readable");
            assert!(read > 0, "ogkit exited before listening; log:\n{log}");
            log.push_str(&line);
            if let Some(rest) = line.split("listening on http://").nth(1) {
                break rest.split(|c: char| c.is_whitespace() || c == '"').next().unwrap_or("").to_owned();
            }
        };
        // Keep reading, so the server never blocks on a full pipe.
        let log = Arc::new(Mutex::new(log));
        let reader_log = Arc::clone(&log);
        thread::spawn(move || {
            let mut line = String::new();
            while stderr.read_line(&mut line).is_ok_and(|read| read > 0) {
                reader_log.lock().expect("no reader panicked").push_str(&line);
                line.clear();
            }
        });
        Server { child, address, log }
    }

    /// Sends SIGTERM, waits for the exit and returns the whole log.
    pub fn stop(mut self) -> String {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
        // The reader thread sees the end of the pipe once the process is gone.
        for _ in 0..100 {
            if self.log.lock().expect("no reader panicked").contains("shutdown: stopped") {
                break;
            }
            thread::sleep(std::time::Duration::from_millis(10));
        }
        let log = self.log.lock().expect("no reader panicked");
        log.clone()
    }

    /// Sends SIGKILL: the process gets no chance to finish anything.
    pub fn kill(mut self) {
        self.child.kill().expect("the server can be killed");
        let _ = self.child.wait();
    }
}

/// One keep-alive HTTP/1.1 connection.
pub struct Client {
    reader: BufReader<TcpStream>,
    address: String,
}

impl Client {
    pub fn connect(address: &str) -> io::Result<Client> {
        let stream = TcpStream::connect(address)?;
        stream.set_nodelay(true)?;
        Ok(Client { reader: BufReader::new(stream), address: address.to_owned() })
    }

    /// Sends a request and returns the status and the body.
    pub fn send(&mut self, method: &str, path: &str, body: &str) -> io::Result<(u16, String)> {
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n{body}",
            self.address,
            body.len()
        );
        self.reader.get_mut().write_all(request.as_bytes())?;

        let mut status_line = String::new();
        if self.reader.read_line(&mut status_line)? == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed"));
        }
        let status: u16 = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, status_line.clone()))?;
        let mut length = 0;
        loop {
            let mut line = String::new();
            if self.reader.read_line(&mut line)? == 0 {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed in headers"));
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        Ok((status, String::from_utf8_lossy(&body).into_owned()))
    }
}
