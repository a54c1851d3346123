// "Link kopieren" on the page that shows a new order link once: copies the
// link's text to the clipboard (first-party script, allowed by the CSP).
document.addEventListener("click", (event) => {
  const button = event.target.closest("button.copy-link");
  if (!button) return;
  const target = document.getElementById(button.dataset.copyTarget);
  if (!target || !navigator.clipboard) return;
  navigator.clipboard.writeText(target.textContent.trim()).then(() => {
    button.textContent = button.dataset.copiedLabel;
  });
});
