// Dutch for the texts Streamlit itself draws (file uploader, multiselect, status, menu, table toolbar).
// Exact, whole-text matches only, re-applied whenever Streamlit redraws (MutationObserver).

const RULES = [
  [/^Drag and drop (a )?file here$/, "Sleep een bestand hierheen"],
  [/^Drag and drop files here$/, "Sleep bestanden hierheen"],
  [/^Drag and drop (.+) here$/, "Sleep hierheen"],
  [/^Limit (\d+(?:\.\d+)?)\s?([KMG]B) per file$/, "max. $1 $2 per bestand"],
  [/^(\d+(?:\.\d+)?)\s?([KMG]B) per file$/, "max. $1 $2 per bestand"],
  [/^(Upload|Browse files)$/, "Bestand kiezen"],
  [/^Upload or drag and drop .+$/, "Bestand kiezen of hierheen slepen"],
  [/^Uploading\.\.\.$/, "Bezig met opladen…"],
  [/^Upload failed$/, "Opladen mislukt"],
  [/^Select all$/, "Alles kiezen"],
  [/^Select (\d+) matches$/, "De $1 treffers kiezen"],
  [/^No results$/, "Geen resultaten"],
  [/^No options to select\.?$/, "Geen keuzes"],
  [/^Choose an option$/, "Kies een optie"],
  [/^Choose options$/, "Kies één of meer opties"],
  [/^Press Enter to apply$/, "Enter om over te nemen"],
  [/^Press Enter to submit form$/, "Enter om het formulier te versturen"],
  [/^Press ⌘\+Enter to apply$/, "⌘+Enter om over te nemen"],
  [/^Press Ctrl\+Enter to apply$/, "Ctrl+Enter om over te nemen"],
  [/^Running\.\.\.$/, "Bezig…"],
  [/^Stop$/, "Stoppen"],
  [/^Rerun$/, "Opnieuw uitvoeren"],
  [/^Settings$/, "Instellingen"],
  [/^Print$/, "Afdrukken"],
  [/^Record a screencast$/, "Scherm opnemen"],
  [/^About$/, "Over"],
  [/^Clear cache$/, "Cache legen"],
  [/^Download as CSV$/, "Downloaden als CSV"],
  [/^Search$/, "Zoeken"],
  [/^Fullscreen$/, "Volledig scherm"],
  [/^Close fullscreen$/, "Volledig scherm sluiten"],
  [/^Clear all$/, "Alles wissen"],
  [/^Connecting$/, "Verbinden"],
  [/^Close$/, "Sluiten"],
];
const ATTRS = ["placeholder", "aria-label", "title"];

function translate(text) {
  const t = text.trim();
  if (!t || t.length > 80) return null;
  for (const [re, rep] of RULES) {
    if (re.test(t)) return text.replace(t, t.replace(re, rep));
  }
  return null;
}

function fixText(node) {
  const out = translate(node.data);
  if (out !== null && out !== node.data) node.data = out;
}

function fixElement(el) {
  for (const a of ATTRS) {
    const v = el.getAttribute && el.getAttribute(a);
    if (v) {
      const out = translate(v);
      if (out !== null && out !== v) el.setAttribute(a, out);
    }
  }
}

function walk(root) {
  if (root.nodeType === Node.TEXT_NODE) return fixText(root);
  if (root.nodeType !== Node.ELEMENT_NODE) return;
  if (root.closest && root.closest(".leaflet-container")) return;
  fixElement(root);
  const it = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  let n;
  while ((n = it.nextNode())) {
    if (n.nodeType === Node.TEXT_NODE) fixText(n);
    else fixElement(n);
  }
}

export default function () {
  if (window.__geoDutch) return;
  window.__geoDutch = true;
  document.documentElement.lang = "nl-BE";
  walk(document.body);
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === "characterData") fixText(m.target);
      else if (m.type === "attributes") fixElement(m.target);
      else m.addedNodes.forEach(walk);
    }
  }).observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS,
  });
}
