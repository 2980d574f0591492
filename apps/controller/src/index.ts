// @tars-ts/app-controller: what other projects may reuse (the standalone mode computes what the
// controller would: the translator, pod states; the webhook configurations for the chart).
export { translate, type Translation } from './translator/index.ts';
export { podState } from './controller/reconcilers/pod-state.ts';
export { endpointPods } from './controller/reconcilers/endpoint.ts';
export { Controller, type ControllerOptions } from './controller/controller.ts';
export { mutatingConfiguration, validatingConfigurations } from './webhook/configurations.ts';
export { startWebhookRole, type WebhookRole, type WebhookRoleOptions } from './webhook/run.ts';
