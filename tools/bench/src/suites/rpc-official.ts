// The @tars/rpc side of the rpc suite, loaded only by the child processes that need it (loading
// @tars/rpc pulls in its whole dependency tree, which the other peers should not carry).
export { officialClient, startOfficialServer } from '@tars-ts/rpc/testing/official';
