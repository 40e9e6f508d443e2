"""Claims as gov.br gives them: ``sub`` is the CPF, ``reliability_info.level``."""

import json
import os
from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class GovBrLikeValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim below, whatever scopes were granted

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        level = next(
            (u["level"] for u in json.loads(os.environ["OP_USERS"]) if u["cpf"] == user.username),
            "bronze",
        )
        return {
            "sub": user.username,
            "name": user.get_full_name(),
            "email": user.email,
            "email_verified": True,
            "reliability_info": {"level": level},
        }
