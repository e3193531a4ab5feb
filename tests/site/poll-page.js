// Fixture for the poll tests: creates one <og-poll id="umfrage"> from the
// page's query string (?poll=…&server=…&lang=…), because the poll ids are
// made up per test run. It is a file of its own because the page's
// Content-Security-Policy forbids inline scripts.
const query = new URLSearchParams(location.search);
const element = document.createElement('og-poll');
element.id = 'umfrage';
for (const name of ['poll', 'server', 'lang']) {
  if (query.has(name)) {
    element.setAttribute(name, query.get(name));
  }
}
const fallback = document.createElement('p');
fallback.textContent = 'Die Umfrage braucht JavaScript.';
element.append(fallback);
document.getElementById('platz').append(element);
