// The choices for a team's time zone and currency, from the browser's own lists.
import { h } from "../dom.js";

/** Time zones as [value, label] pairs: UTC first, then every IANA zone of a place. */
export function zoneOptions() {
  const zones = Intl.supportedValuesOf?.("timeZone") ?? [];
  return [
    ["UTC", "UTC"],
    ...zones.filter((z) => z !== "UTC").map((z) => [z, z.replaceAll("_", " ")]),
  ];
}

/** The browser's own time zone: a sensible default for a new team. */
export function localZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
}

/** A <datalist> of ISO currency codes for a currency input's `list`. */
export function currencyList(id) {
  const codes = Intl.supportedValuesOf?.("currency") ?? ["EUR", "GBP", "USD"];
  return h(
    "datalist",
    { id },
    codes.map((code) => h("option", { value: code })),
  );
}

/** Attributes for a currency input: three capital letters, or empty for none. */
export function currencyAttrs(list) {
  return {
    list,
    maxlength: 3,
    autocapitalize: "characters",
    autocomplete: "off",
    pattern: "[A-Za-z]{3}",
    hint: "Three letters, such as EUR or USD; empty for none.",
  };
}
