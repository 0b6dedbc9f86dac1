export { testPlatform, testCluster, uniqueName, type TestPlatform, type TestClusterInfo } from './test-platform';
export { missingAfterReadBack } from './read-back';
export { createTestCertificates, hasOpenssl, type Pem, type TestCertificates } from './test-certificates';
