// The progress report's "Print" button (no inline handler: the CSP forbids them).
document.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));
