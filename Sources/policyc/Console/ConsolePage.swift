/// The console's page: plain HTML; its style and script are served beside it from the binary
/// (`/console.css`, `/console.js`), so the page needs nothing from the network and the
/// Content-Security-Policy can forbid inline code.
enum ConsolePage {
    static let html = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>policyc console</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="/console.css">
    <script src="/console.js" defer></script>
    </head>
    <body>
    <header>
      <h1>policyc console</h1>
      <p class="lead">What if… on your own policy files, served to this machine only. This is not policyd: nothing here is enforced.</p>
      <p id="load-state" class="load-state">Reading the policies…</p>
    </header>
    <main>
      <div class="columns">
        <section id="what-if" aria-labelledby="what-if-title">
          <h2 id="what-if-title">What if</h2>
          <form id="query" novalidate>
            <div class="row">
              <div class="field">
                <label for="type">Type</label>
                <select id="type" name="type">
                  <option value="route">route</option>
                  <option value="exchange">exchange</option>
                  <option value="plugin">plugin</option>
                </select>
              </div>
              <div class="field grow">
                <label for="service">Service</label>
                <input id="service" name="service" list="services" autocomplete="off" spellcheck="false" placeholder="data-management-api">
                <datalist id="services"></datalist>
              </div>
            </div>
            <div class="row">
              <div class="field grow">
                <label for="route" id="route-label">Route (or action)</label>
                <input id="route" name="route" autocomplete="off" spellcheck="false" placeholder="/data/list/testing, or a template">
              </div>
              <div class="field">
                <label for="method">Method</label>
                <input id="method" name="method" autocomplete="off" spellcheck="false" placeholder="GET" size="8">
              </div>
            </div>
            <div class="field">
              <label for="parameters">Parameters</label>
              <textarea id="parameters" name="parameters" rows="2" spellcheck="false" placeholder="namespace=testing (one a line), or a JSON object"></textarea>
            </div>
            <div class="field">
              <label for="groups">Groups</label>
              <textarea id="groups" name="groups" rows="3" spellcheck="false" placeholder="data/namespaces/testing/viewer (one a line)"></textarea>
            </div>
            <div class="field">
              <label for="token">Token (instead of Groups; read, not verified)</label>
              <textarea id="token" name="token" rows="2" spellcheck="false" placeholder="paste an access token: its groups claim is read without checking its signature"></textarea>
              <p id="token-note" class="unverified" hidden></p>
            </div>
            <button type="submit" id="decide">Decide</button>
          </form>
          <div id="decision" role="status" aria-live="polite" class="decision">Fill in the form and press Decide.</div>
        </section>
        <section id="lint" aria-labelledby="lint-title">
          <h2 id="lint-title">Lint</h2>
          <p id="lint-summary"></p>
          <ol id="diagnostics" class="diagnostics"></ol>
        </section>
      </div>
      <section id="policies-section" aria-labelledby="policies-title">
        <h2 id="policies-title">Policies: who can call what</h2>
        <p class="legend">Granted to: a caller is granted when one line holds; <code>a + b</code> holds both, <code>not c</code> holds none of it. Matrix: <span class="cell grants">✔</span> the role alone grants, <span class="cell with-others">+</span> grants with other roles, <span class="cell denies">✗</span> only takes access away (under not).</p>
        <div class="field">
          <label for="policy-select">Policy</label>
          <select id="policy-select"></select>
        </div>
        <div id="policies"></div>
      </section>
    </main>
    </body>
    </html>
    """#
}
