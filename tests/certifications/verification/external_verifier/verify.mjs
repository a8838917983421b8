// Verifies credentials the way an outside party would, with Digital Bazaar's libraries only:
// @digitalbazaar/vc for the credential, the Data Integrity proof with the eddsa-jcs-2022
// cryptosuite, the key as an Ed25519 Multikey, and the Bitstring Status List check.
//
// stdin: {"documents": {url: json, ...}, "credentials": [json, ...], "statuses": [...]}
//   `documents` are what the web would answer for each URL (key document, status list);
//   JSON-LD contexts come from the libraries' own packaged copies, plus any in `documents`.
//   `statuses` (optional) are status entries to read on their own, each
//   {"issuer": url, "credentialStatus": entry}: a bit a verifier knows the list and index of.
// stdout: [{"verified": bool, "revoked": bool | null, "error": str | null}, ...] in order, or
//   with `statuses`, {"credentials": [...as above], "statuses": [{"verified", "status", "error"}]}.
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import {createVerifyCryptosuite} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as securityContext from '@digitalbazaar/security-context';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import * as vc from '@digitalbazaar/vc';

const input = JSON.parse(await new Promise(resolve => {
  let text = '';
  process.stdin.on('data', chunk => text += chunk);
  process.stdin.on('end', () => resolve(text));
}));

const documents = new Map();
for(const module of [credentialsContext, dataIntegrityContext, multikeyContext, securityContext]) {
  for(const [url, context] of module.contexts) {
    documents.set(url, context);
  }
}
for(const [url, document] of Object.entries(input.documents)) {
  documents.set(url, document);
}

// A key id `document#fragment` resolves to that verification method of the document, carrying
// the document's @context, as a controlled identifier document's consumer reads it.
async function documentLoader(url) {
  const [base, fragment] = url.split('#');
  const document = documents.get(base);
  if(document === undefined) {
    throw new Error(`nothing is published at ${url}`);
  }
  if(fragment === undefined) {
    return {contextUrl: null, documentUrl: url, document};
  }
  const method = (document.verificationMethod || []).find(m => m.id === url);
  if(!method) {
    throw new Error(`${base} names no verification method ${url}`);
  }
  return {contextUrl: null, documentUrl: url, document: {'@context': document['@context'], ...method}};
}

const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});
const results = [];
for(const credential of input.credentials) {
  try {
    const result = await vc.verifyCredential({
      credential, suite, documentLoader,
      checkStatus: credential.credentialStatus ? checkStatus : undefined,
    });
    const error = result.verified ? null : String(
      (result.error && (result.error.errors || [result.error]).map(e => e.message).join('; ')) ||
      JSON.stringify(result.results || result));
    results.push({
      verified: result.verified,
      // The revocation bit, once the status list itself has verified; null when it did not.
      revoked: result.statusResult?.verified ? result.statusResult.results[0].status : null,
      error,
    });
  } catch(error) {
    results.push({verified: false, revoked: null, error: String(error && error.stack || error)});
  }
}
if(!input.statuses) {
  process.stdout.write(JSON.stringify(results));
} else {
  // The status list library checks the list's own signature and that its issuer is the one given.
  const statuses = [];
  for(const {issuer, credentialStatus} of input.statuses) {
    const credential = {'@context': ['https://www.w3.org/ns/credentials/v2'], issuer, credentialStatus};
    const result = await checkStatus({credential, documentLoader, suite});
    statuses.push({
      verified: result.verified,
      status: result.verified ? result.results[0].status : null,
      error: result.verified ? null : String(result.error && result.error.message || JSON.stringify(result)),
    });
  }
  process.stdout.write(JSON.stringify({credentials: results, statuses}));
}
