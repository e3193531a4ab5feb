// ogkit loader: defines the ogkit custom elements and, when the first one
// connects, loads the shared WebAssembly module that renders them.
//
// The file works as an ES module (`<script type="module" src=…>`, the
// documented way) and as a classic script (`<script src=… defer>`, which
// CMS templates often write). That is why it has no `import`/`export`
// statements and no `import.meta`: both are syntax errors in a classic
// script. Its own URL, from which every asset is resolved, comes from
// `document.currentScript` in a classic script and from the stack of the
// running module otherwise; never from the page URL.
//
// Loading the file several times is harmless: the first copy registers
// itself on `window` under a global symbol, later copies of the same
// release do nothing, and a different release logs one warning.
(() => {
  "use strict";

  // Replaced by `cargo xtask build` with the crate version.
  const RELEASE = "__OGKIT_RELEASE__";

  // Element name and the attributes it observes. Adding a widget is one
  // line here plus its arm in `mount()` on the Rust side.
  const ELEMENTS = {
    "og-service-search": ["src", "lang", "placeholder", "max-results", "category", "online-only", "no-results-href", "query-param"],
    "og-data-table": ["src", "lang", "caption", "title", "format", "encoding", "delimiter", "header-row", "page-size", "fragment-key", "source", "source-href", "license", "license-href", "chart", "ckan", "resource-id", "dataset"],
    "og-poll": ["server", "poll", "lang"],
    "og-form": ["schema", "form", "action", "lang", "save-draft"],
    "og-embed-builder": ["lang"],
  };

  // HTML boolean attributes: their properties take true or false.
  const BOOLEAN_ATTRIBUTES = new Set(["online-only"]);

  const REGISTRY = Symbol.for("ogkit.loader");
  const WIDGET = Symbol("ogkit.widget");
  const CONNECTION = Symbol("ogkit.connection");

  // Shown by the loader when no Rust can run; every other text lives in
  // widgets/src/i18n.rs.
  const MESSAGES = {
    de: {
      csp: "Dieses Element kann auf dieser Seite nicht geladen werden: Die Sicherheitsrichtlinie der Seite (Content-Security-Policy) erlaubt kein WebAssembly.",
      missing: "Dieses Element kann gerade nicht geladen werden: Eine Programmdatei fehlt auf dem Server.",
      broken: "Dieses Element kann gerade nicht geladen werden. Bitte versuchen Sie es später noch einmal.",
    },
    en: {
      csp: "This element cannot be loaded on this page: the page's security policy (Content-Security-Policy) does not allow WebAssembly.",
      missing: "This element cannot be loaded right now: a program file is missing on the server.",
      broken: "This element cannot be loaded right now. Please try again later.",
    },
  };

  const scriptUrl = findScriptUrl();
  const existing = window[REGISTRY];
  if (existing) {
    if (existing.release !== RELEASE && !existing.warnedReleases.has(RELEASE)) {
      existing.warnedReleases.add(RELEASE);
      console.warn(
        `ogkit: release ${RELEASE} (${scriptUrl}) was not started because release ${existing.release} ` +
          `(${existing.scriptUrl}) already runs on this page; include only one release of ogkit.js.`,
      );
    }
    return;
  }
  if (!scriptUrl) {
    console.error("ogkit: cannot tell the URL of ogkit.js, so its other files cannot be found; load it with <script type=\"module\" src=\"…/ogkit.js\">.");
    return;
  }

  const state = {
    release: RELEASE,
    scriptUrl,
    warnedReleases: new Set(),
    module: null,
    stylesheet: null,
  };
  Object.defineProperty(window, REGISTRY, { value: state });

  for (const [tag, attributes] of Object.entries(ELEMENTS)) {
    defineElement(tag, attributes);
  }

  function findScriptUrl() {
    const current = document.currentScript;
    if (current && current.src) {
      return current.src;
    }
    // A module has no currentScript. At the top level of this file the
    // first frame of a stack trace is this file, e.g. "at https://…/ogkit.js:60:7"
    // (Chromium) or "@https://…/ogkit.js:60:7" (Firefox, Safari).
    const stack = new Error().stack || "";
    const match = /((?:https?|file):\/\/[^\s()@]+?):\d+:\d+/.exec(stack);
    return match ? match[1] : null;
  }

  function assetUrl(name) {
    return new URL(name, state.scriptUrl).href;
  }

  function addStylesheet() {
    if (state.stylesheet) {
      return;
    }
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = assetUrl("ogkit.css");
    link.setAttribute("data-ogkit-stylesheet", RELEASE);
    (document.head || document.documentElement).append(link);
    state.stylesheet = link;
  }

  // Starts the WebAssembly module once per page; every element awaits the
  // same promise. A failure is logged once here and shown by each element.
  function loadModule() {
    if (!state.module) {
      state.module = startModule();
    }
    return state.module;
  }

  async function startModule() {
    const glueUrl = assetUrl("ogkit_widgets.js");
    const wasmUrl = assetUrl("ogkit_widgets_bg.wasm");

    let glue;
    try {
      glue = await import(glueUrl);
    } catch (error) {
      console.error(`ogkit: ${glueUrl} could not be loaded: ${error}`);
      throw new LoadFailure("missing");
    }

    let response;
    try {
      response = await fetch(wasmUrl);
    } catch (error) {
      console.error(`ogkit: ${wasmUrl} could not be loaded: ${error}`);
      throw new LoadFailure("broken");
    }
    if (!response.ok) {
      console.error(`ogkit: ${wasmUrl} could not be loaded: HTTP status ${response.status}`);
      throw new LoadFailure("missing");
    }

    try {
      await glue.default({ module_or_path: response });
    } catch (error) {
      if (/unsafe-eval|Content.Security.Policy/i.test(String(error))) {
        console.error(
          `ogkit: the Content-Security-Policy of this page blocks WebAssembly; add 'wasm-unsafe-eval' to script-src ` +
            `(not 'unsafe-eval'). Browser message: ${error}`,
        );
        throw new LoadFailure("csp");
      }
      console.error(`ogkit: ${wasmUrl} could not be started: ${error}`);
      throw new LoadFailure("broken");
    }
    return glue;
  }

  class LoadFailure extends Error {
    constructor(kind) {
      super(`ogkit: ${kind}`);
      this.name = "LoadFailure";
      this.kind = kind;
    }
  }

  function defineElement(tag, attributes) {
    if (customElements.get(tag)) {
      return;
    }

    class OgkitElement extends HTMLElement {
      static get observedAttributes() {
        return attributes;
      }

      connectedCallback() {
        adoptEarlyProperties(this, attributes);
        addStylesheet();
        const connection = {};
        this[CONNECTION] = connection;
        loadModule().then(
          (glue) => {
            if (this[CONNECTION] !== connection || this[WIDGET]) {
              return;
            }
            try {
              this[WIDGET] = glue.mount(tag, this);
            } catch (error) {
              console.error(`${tag}: the widget could not start: ${error}`);
              showFailure(this, "broken");
            }
          },
          (error) => {
            if (this[CONNECTION] === connection) {
              showFailure(this, error instanceof LoadFailure ? error.kind : "broken");
            }
          },
        );
      }

      disconnectedCallback() {
        this[CONNECTION] = null;
        const widget = this[WIDGET];
        this[WIDGET] = null;
        removeFailure(this);
        if (widget) {
          try {
            widget.destroy();
          } catch (error) {
            console.error(`${tag}: the widget could not be removed cleanly: ${error}`);
          }
        }
      }

      attributeChangedCallback(name, oldValue, newValue) {
        const widget = this[WIDGET];
        if (widget && oldValue !== newValue) {
          try {
            widget.update();
          } catch (error) {
            console.error(`${tag}: attribute ${name} could not be applied: ${error}`);
          }
        }
      }
    }

    for (const attribute of attributes) {
      if (!isBuiltInProperty(attribute)) {
        defineReflectedProperty(OgkitElement.prototype, attribute);
      }
    }
    customElements.define(tag, OgkitElement);
  }

  // True when every HTML element already has the attribute's property
  // (`lang`, `title`, `dataset`). Such properties keep their built-in
  // meaning: `title` already reflects its attribute, and a reflected
  // `dataset` would hide the element's data-* map.
  function isBuiltInProperty(attribute) {
    return camelCase(attribute) in HTMLElement.prototype;
  }

  // Each attribute gets a camel-case property (`max-results` →
  // `maxResults`) that reads and writes the attribute.
  function defineReflectedProperty(prototype, attribute) {
    const property = camelCase(attribute);
    const boolean = BOOLEAN_ATTRIBUTES.has(attribute);
    Object.defineProperty(prototype, property, {
      configurable: true,
      enumerable: true,
      get() {
        return boolean ? this.hasAttribute(attribute) : this.getAttribute(attribute);
      },
      set(value) {
        if (boolean) {
          this.toggleAttribute(attribute, Boolean(value));
        } else if (value === null || value === undefined) {
          this.removeAttribute(attribute);
        } else {
          this.setAttribute(attribute, String(value));
        }
      },
    });
  }

  // A property set on the element before its class was defined is an own
  // property that hides the accessor; move its value through the accessor.
  function adoptEarlyProperties(element, attributes) {
    for (const attribute of attributes) {
      const property = camelCase(attribute);
      if (!isBuiltInProperty(attribute) && Object.prototype.hasOwnProperty.call(element, property)) {
        const value = element[property];
        delete element[property];
        element[property] = value;
      }
    }
  }

  function camelCase(attribute) {
    return attribute.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
  }

  function languageOf(element) {
    const tagged = element.closest("[lang]");
    const tag = tagged ? tagged.getAttribute("lang") || "" : "";
    return /^en\b/i.test(tag.trim()) ? "en" : "de";
  }

  function showFailure(element, kind) {
    removeFailure(element);
    const language = languageOf(element);
    const message = document.createElement("p");
    message.className = "og-error";
    message.setAttribute("role", "alert");
    message.setAttribute("data-og-error", kind);
    message.setAttribute("data-og-loader-error", "");
    message.lang = language;
    message.textContent = MESSAGES[language][kind] || MESSAGES[language].broken;
    element.setAttribute("data-og-state", "error");
    element.append(message);
  }

  function removeFailure(element) {
    for (const message of element.querySelectorAll(":scope > [data-og-loader-error]")) {
      message.remove();
    }
  }
})();
