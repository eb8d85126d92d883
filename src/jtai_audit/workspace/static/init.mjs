// Starts GOV.UK Frontend's components. An external module, so the pages' CSP holds
// (no inline script): it marks the body as GOV.UK Frontend's inline snippet would.
import { initAll } from "/static/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
document.body.addEventListener("htmx:afterSwap", () => initAll());
