"""The first consent text and the whole-plan list, so a fresh site can take subscriptions."""

from django.db import migrations

TEXT_IT = (
    "L'Associazione Torino Internazionale usa il tuo indirizzo e-mail solo per inviarti le "
    "notizie delle liste che scegli. Puoi cancellarti in ogni momento con il link presente "
    "in ogni messaggio. Conserviamo la data, l'indirizzo IP e questo testo come prova del "
    "tuo consenso (Regolamento UE 2016/679, art. 7)."
)
TEXT_EN = (
    "The Associazione Torino Internazionale uses your e-mail address only to send you news "
    "from the lists you choose. You can unsubscribe at any time with the link in every "
    "message. We keep the date, your IP address and this text as proof of your consent "
    "(EU Regulation 2016/679, art. 7)."
)


def forwards(apps, schema_editor):
    ConsentText = apps.get_model("engage", "ConsentText")
    MailingList = apps.get_model("engage", "MailingList")
    ConsentText.objects.get_or_create(version="2026-1",
                                      defaults={"text_it": TEXT_IT, "text_en": TEXT_EN})
    MailingList.objects.get_or_create(
        slug="plan", defaults={"kind": "plan", "name_it": "Tutto il piano strategico",
                               "name_en": "The whole strategic plan", "position": 0})


def backwards(apps, schema_editor):
    apps.get_model("engage", "ConsentText").objects.filter(version="2026-1").delete()


class Migration(migrations.Migration):
    dependencies = [("engage", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
