// The official MCP TypeScript SDK's client, as an OAuth-aware MCP client uses it: it connects to
// the MCP server with no token (or with the token given), follows the server's 401/403 challenge
// to the Protected Resource Metadata, discovers the authorization server from it, runs the
// authorization code flow with PKCE (the test's authorization server approves at once), and calls
// the tool. Prints one JSON line: {"authorizations": n, "text": "<the tool's text>"}.
//
// Usage: node discovery-client.mjs MCP_URL [INITIAL_ACCESS_TOKEN]
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';

const [mcpUrl, initialToken] = process.argv.slice(2);

/** A pre-registered public client (no secret) on the authorization code flow with PKCE. */
class TestClientProvider {
  constructor(tokens) {
    this._tokens = tokens;
  }
  get redirectUrl() {
    return 'http://127.0.0.1:9/callback';
  }
  get clientMetadata() {
    return {
      client_name: 'baton-oauth-discovery-test',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none'
    };
  }
  clientInformation() {
    return { client_id: 'ts-client' };
  }
  tokens() {
    return this._tokens;
  }
  saveTokens(tokens) {
    this._tokens = tokens;
  }
  redirectToAuthorization(url) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier) {
    this._verifier = verifier;
  }
  codeVerifier() {
    return this._verifier;
  }
}

/** What a user's browser does: open the authorization URL; the server redirects with a code. */
async function authorize(url) {
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status !== 302 || !location) {
    throw new Error(`authorization endpoint answered ${response.status}`);
  }
  return new URL(location).searchParams.get('code');
}

const provider = new TestClientProvider(
  initialToken ? { access_token: initialToken, token_type: 'Bearer' } : undefined);
let authorizations = 0;

async function connect() {
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider });
  const client = new Client({ name: 'baton-oauth-discovery-test', version: '1.0.0' });
  try {
    await client.connect(transport);
    return client;
  } catch (error) {
    if (!(error instanceof UnauthorizedError) || authorizations > 0) {
      throw error;
    }
  }
  authorizations++;
  await transport.finishAuth(await authorize(provider.authorizationUrl));
  const again = new Client({ name: 'baton-oauth-discovery-test', version: '1.0.0' });
  await again.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider }));
  return again;
}

const client = await connect();
const result = await client.callTool({ name: 'start_report', arguments: {} });
console.log(JSON.stringify({ authorizations, text: result.content[0].text }));
await client.close();
