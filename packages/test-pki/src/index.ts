export { type SelfSignedCertificate, selfSignedCertificate } from './self-signed-certificate.js';
export { createTestCertificates, KEY_PASSWORD, PKCS12_PASSWORD, type TestCertificates } from './test-certificates.js';
