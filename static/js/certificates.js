// "My certificates": copy a share link with one click. Without JavaScript the link stays in a
// read-only field to select and copy by hand.
async function copyText(field) {
  try {
    await navigator.clipboard.writeText(field.value);
    return true;
  } catch {
    // Clipboard API refused (no permission, or an insecure origin): copy the selected field.
    field.select();
    return document.execCommand("copy");
  }
}

document.querySelectorAll("[data-copy]").forEach((button) => {
  const field = document.getElementById(button.dataset.copy);
  if (!field) return;
  const label = button.textContent;
  button.hidden = false;
  button.addEventListener("click", async () => {
    if (!(await copyText(field))) {
      field.select();
      return;
    }
    button.textContent = button.dataset.copied;
    setTimeout(() => { button.textContent = label; }, 2000);
  });
});
document.querySelectorAll("[data-select-on-focus]").forEach((field) => {
  field.addEventListener("focus", () => field.select());
});
