// Maps of the analysis pages, on the shell's map module: capacity flows and a shipment's route.
export function flowMap(el, ctx, result) {
  el.textContent = '';
}

export function routeMap(el, ctx, nodes, position) {
  el.textContent = '';
}
