from __future__ import annotations

import factory

from bedside.compliance.models import Consent, StaffMember


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    name = factory.Sequence(lambda n: f"Dr. Staff{n} Person")
    role_title = ""


class ConsentFactory(factory.django.DjangoModelFactory):
    """A signed (e-signature) consent; no document file."""

    class Meta:
        model = Consent

    patient_name = "Rosa Delgado"
    covers = factory.LazyFunction(lambda: ["name", "story"])
    channels = factory.LazyFunction(lambda: ["all"])
    signer_name = "Rosa Delgado"
    signed_at = factory.Faker("date_time", tzinfo=__import__("datetime").UTC)
