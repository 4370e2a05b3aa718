/**
 * The only page served without a token. The token travels in the URL's #fragment (never sent to the
 * server, never in logs or Referer); this page trades it for an HttpOnly, SameSite=Strict cookie and
 * reloads. It holds no data and no app code. When the token is refused it says why.
 */
export const DOOR_SCRIPT_PATH = '/__berth/door.js';
export const SESSION_PATH = '/__berth/session';

export const DOOR_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Berth</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<script src="${DOOR_SCRIPT_PATH}" defer></script>
</head>
<body style="font: 15px system-ui, sans-serif; margin: 3rem; color: #1b2430">
<main>
<h1>Berth</h1>
<p id="door-message" role="status">Opening Berth…</p>
</main>
</body>
</html>`;

export const DOOR_SCRIPT = `(() => {
  const message = document.getElementById('door-message');
  const show = (text) => { message.textContent = text; document.title = 'Berth: not allowed'; };
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (!token) {
    show('This page needs the link Berth printed when it started (it ends with #token=…).');
    return;
  }
  fetch('${SESSION_PATH}', { method: 'POST', headers: { Authorization: 'Bearer ' + token } })
    .then(async (response) => {
      if (response.ok) { location.replace('/'); return; }
      const body = await response.json().catch(() => ({}));
      show(body.reason || ('Berth refused this page (HTTP ' + response.status + ').'));
    })
    .catch(() => show('Berth is not running at this address any more. Start it again and open the link it prints.'));
})();`;
