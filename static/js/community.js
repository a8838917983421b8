// Ask before destructive team actions. Progressive enhancement: without JavaScript the
// forms still work, and the server refuses what the rules forbid (e.g. the last admin leaving).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
