// Fixture for the form tests: creates one <og-form id="formular"> from the
// page's query string (?schema=…&form=…&action=…&lang=…&save-draft=…). It
// is a file of its own because the page's Content-Security-Policy forbids
// inline scripts.
const query = new URLSearchParams(location.search);
const element = document.createElement('og-form');
element.id = 'formular';
for (const name of ['schema', 'form', 'action', 'lang', 'save-draft']) {
  if (query.has(name)) {
    element.setAttribute(name, query.get(name));
  }
}
const fallback = document.createElement('p');
fallback.textContent = 'Das Formular braucht JavaScript.';
element.append(fallback);
document.getElementById('platz').append(element);
