// A real OpenID Connect provider (oidc-provider) for the single sign-on browser test.
// Usage: node oidc_provider.mjs <port> <redirect_uri> <client_id> <client_secret>
// Its dev login form accepts any login; the login is the account id and its email
// (a login starting with "unverified" has email_verified false).
import Provider from "oidc-provider";

const [port, redirectUri, clientId, clientSecret] = process.argv.slice(2);
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    grant_types: ["authorization_code"],
    response_types: ["code"],
  }],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: !id.startsWith("unverified"), name: "SSO " + id };
      },
    };
  },
});
provider.listen(Number(port), "127.0.0.1", () => console.log("ready"));
