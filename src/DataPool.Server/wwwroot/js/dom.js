// Small DOM helpers: elements are built with properties and text nodes only, never from HTML strings, so a value
// from the pool (a name, an address) can never become markup.

const SVG = 'http://www.w3.org/2000/svg';

function fill(element, attrs, children) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'text') {
      element.textContent = value;
    } else if (key === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (key === 'value' && 'value' in element) {
      element.value = value;
    } else if (key === 'checked' || key === 'disabled' || key === 'selected') {
      element[key] = Boolean(value);
    } else {
      element.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** An HTML element: h('label', { for: 'x', class: 'hint' }, 'text', h('b', {}, 'bold')). */
export function h(tag, attrs, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

/** An SVG element, same shape as h(). */
export function svg(tag, attrs, ...children) {
  return fill(document.createElementNS(SVG, tag), attrs, children);
}

/** Replaces what a container shows. */
export function show(container, ...children) {
  container.replaceChildren();
  fill(container, {}, children);
  return container;
}

/** A community (or any coded thing) by its name with the code beside; the code alone when the name is unknown. */
export function named(name, code) {
  if (!code) return '';
  return name ? h('span', { class: 'named' }, name, ' ', h('span', { class: 'code' }, code)) : h('span', { class: 'code' }, code);
}

/** A stable, selector-safe id for a field path such as members[2].elderly.since. */
export function idFor(path) {
  return 'f-' + path.replace(/[^A-Za-z0-9_-]/g, '_');
}
