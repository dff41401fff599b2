/* painmap: Dash 4's open dropdown, wrapped for screen readers (axe-core found, with a
   dropdown open: nested-interactive, an unnamed listbox, an unnamed dialog, and a combobox
   that is expanded but controls nothing).

   Dash renders an open dropdown as a popover (role=dialog) holding a search box and a
   listbox of options, each option a <label role=option> around a native radio (or checkbox)
   input, and moves the keyboard focus onto those inputs. An option that holds a focusable
   input is nested-interactive; a listbox whose focus lands inside its options is not a
   listbox a screen reader can follow. The native inputs already carry the meaning (a
   labelled radio, checked or not), so here, after each render:
   - the options lose role=option and aria-selected, and the list becomes a group named by
     the field's label ("Organ"): the focused radio reads "Kidney and ureter, radio button,
     checked, Organ";
   - the popover (dialog) and its search box are named after the field too;
   - the field's combobox (painmap.js makes Dash's focus target one) controls the open popover.
   Dash finds its options by class and data-option-index, never by role: keys, search and
   clicks work as before.

   Dash 4 also draws radio items and checklists as a listbox of options that each hold a native
   input (axe: nested-interactive, an unnamed listbox), and puts each closed dropdown's keyboard
   focus on an input marked aria-hidden (axe: aria-hidden-focus). Wrapped here too: the native
   inputs carry the semantics (the layout names their group), and the dropdown's focus target
   is a named combobox that mirrors its button.

   One observer watches the page, and looks again only when a change touches one of these
   widgets: the figure and the text panels, redrawn at every choice and step, are not worth a
   look. */
(function () {
  "use strict";

  function setAttr(el, name, value) {
    if (value === null) { if (el.hasAttribute(name)) { el.removeAttribute(name); } }
    else if (el.getAttribute(name) !== value) { el.setAttribute(name, value); }
  }

  /* The field's visible label (<label for=the dropdown's id>), with an id to point at. */
  function fieldLabel(button) {
    var label = button && button.id ? document.querySelector('label[for="' + button.id + '"]') : null;
    if (label && !label.id) { label.id = button.id + "-field-label"; }
    return label;
  }

  function wrapDropdown(wrapper) {
    var button = wrapper.querySelector("button.dash-dropdown");
    var label = fieldLabel(button);
    var popover = wrapper.querySelector(".dash-dropdown-content");
    var target = wrapper.querySelector(".dash-dropdown-focus-target");
    if (target) {
      var open = !!popover && !!popover.id && button && button.getAttribute("aria-expanded") === "true";
      setAttr(target, "aria-controls", open ? popover.id : null);
    }
    if (!popover) { return; }
    if (label) { setAttr(popover, "aria-labelledby", label.id); }
    popover.querySelectorAll(".dash-dropdown-options[role=listbox]").forEach(function (list) {
      setAttr(list, "role", "group");
    });
    popover.querySelectorAll(".dash-dropdown-options").forEach(function (list) {
      if (label) { setAttr(list, "aria-labelledby", label.id); }
      setAttr(list, "aria-multiselectable", null);
    });
    popover.querySelectorAll(".dash-dropdown-option[role=option]").forEach(function (option) {
      setAttr(option, "role", null);
      setAttr(option, "aria-selected", null);
    });
    popover.querySelectorAll("input.dash-dropdown-search").forEach(function (search) {
      if (label) { setAttr(search, "aria-label", "Search: " + label.textContent.trim()); }
    });
  }

  /* The closed widgets: radio items, checklists, and each dropdown's focus target. */
  function fixWidgets(root) {
    root.querySelectorAll(".dash-radioitems[role=listbox], .dash-checklist[role=listbox]").forEach(function (list) {
      setAttr(list, "role", null);
      setAttr(list, "aria-multiselectable", null);
    });
    /* React sets aria-selected again when a choice changes (the role it set once stays removed). */
    root.querySelectorAll(".dash-radioitems > [role=option], .dash-checklist > [role=option], "
                          + ".dash-radioitems > [aria-selected], .dash-checklist > [aria-selected]").forEach(function (option) {
      setAttr(option, "role", null);
      setAttr(option, "aria-selected", null);
    });
    root.querySelectorAll(".dash-dropdown-wrapper > .dash-dropdown-focus-target").forEach(function (target) {
      var button = target.parentElement.querySelector("button.dash-dropdown");
      if (!button || !button.id) { return; }
      var label = fieldLabel(button);
      setAttr(target, "aria-hidden", null);
      setAttr(target, "role", "combobox");
      setAttr(target, "aria-haspopup", "listbox");
      setAttr(target, "aria-expanded", button.getAttribute("aria-expanded") === "true" ? "true" : "false");
      var value = document.getElementById(button.id + "-value");
      setAttr(target, "aria-labelledby", (label ? label.id : "") + (value ? " " + value.id : ""));
    });
  }

  var WIDGET = ".dash-radioitems, .dash-checklist, .dash-dropdown-wrapper";

  /* Whether a change is in a widget, or brings one (a panel drawn anew with its choices). */
  function touchesWidget(record) {
    var target = record.target;
    if (!target || target.nodeType !== 1 || target.closest("#figure-box")) { return false; }
    if (target.closest(WIDGET)) { return true; }
    for (var i = 0; i < record.addedNodes.length; i++) {
      var node = record.addedNodes[i];
      if (node.nodeType === 1 && (node.matches(WIDGET) || node.querySelector(WIDGET))) { return true; }
    }
    return false;
  }

  function wrapAll(root) {
    fixWidgets(root);
    root.querySelectorAll(".dash-dropdown-wrapper").forEach(wrapDropdown);
  }

  var busy = false;
  function start() {
    var root = document.getElementById("react-entry-point") || document.body;
    var observer = new MutationObserver(function (records) {
      if (busy || !records.some(touchesWidget)) { return; }
      busy = true;
      try { wrapAll(root); } finally { busy = false; }
    });
    observer.observe(root, {childList: true, subtree: true, attributes: true,
                            attributeFilter: ["role", "aria-selected", "aria-hidden", "aria-expanded", "id"]});
    wrapAll(root);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
