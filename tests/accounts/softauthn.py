"""A software passkey (WebAuthn authenticator) for tests, built from fido2's own classes and `cryptography`:
it answers the server's registration and sign-in ceremonies the way a browser with a platform authenticator does
(`none` attestation, user present and verified, a resident key)."""

import hashlib
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

FLAGS = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV


class SoftAuthenticator:
    def __init__(self, rp_id: str = "testserver", origin: str = "http://testserver"):
        self.rp_id, self.origin = rp_id, origin
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.user_handle = b""
        self.counter = 0

    @property
    def rp_id_hash(self) -> bytes:
        return hashlib.sha256(self.rp_id.encode()).digest()

    def register(self, options_or_state: dict, user_handle: bytes) -> dict:
        """A registration response (the JSON a browser posts) to the challenge of `navigator.credentials.create`."""
        self.user_handle = user_handle
        challenge = websafe_decode(_challenge(options_or_state))
        credential = AttestedCredentialData.create(
            Aaguid(bytes(16)), self.credential_id, ES256.from_cryptography_key(self.key.public_key())
        )
        auth_data = AuthenticatorData.create(
            self.rp_id_hash, FLAGS | AuthenticatorData.FLAG.AT, self.counter, credential
        )
        client_data = CollectedClientData.create(CollectedClientData.TYPE.CREATE, challenge, self.origin)
        attestation = AttestationObject.create("none", auth_data, {})
        return self._credential(
            {
                "clientDataJSON": websafe_encode(client_data),
                "attestationObject": websafe_encode(attestation),
                "transports": ["internal"],
            },
            {"credProps": {"rk": True}},
        )

    def sign_in(self, options_or_state: dict) -> dict:
        """An assertion (the JSON a browser posts) to the challenge of `navigator.credentials.get`."""
        self.counter += 1
        challenge = websafe_decode(_challenge(options_or_state))
        auth_data = AuthenticatorData.create(self.rp_id_hash, FLAGS, self.counter)
        client_data = CollectedClientData.create(CollectedClientData.TYPE.GET, challenge, self.origin)
        signature = self.key.sign(bytes(auth_data) + client_data.hash, ec.ECDSA(hashes.SHA256()))
        return self._credential(
            {
                "clientDataJSON": websafe_encode(client_data),
                "authenticatorData": websafe_encode(auth_data),
                "signature": websafe_encode(signature),
                "userHandle": websafe_encode(self.user_handle),
            },
            {},
        )

    def _credential(self, response: dict, extensions: dict) -> dict:
        """The PublicKeyCredential JSON a browser posts."""
        return {
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "response": response,
            "clientExtensionResults": extensions,
        }


def _challenge(options_or_state: dict) -> str:
    """The challenge of WebAuthn options ({"publicKey": {"challenge": …}}) or of the server's saved state."""
    public_key = options_or_state.get("publicKey", options_or_state)
    return public_key["challenge"]
