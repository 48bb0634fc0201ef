"""Language detection on short texts written for riftwatch."""

from __future__ import annotations

import pytest

from riftwatch.text import detect_language

ENGLISH = [
    "Pakistani jets struck targets in Khost.",
    "The army said it killed five militants near the border on Sunday.",
    "Tehreek-e-Taliban Pakistan claimed the attack in Dera Ismail Khan, Mullah Fazlullah said.",
    "Imran Khan met Zabihullah Mujahid and Sirajuddin Haqqani in Kabul.",
    "Al Qaeda and Lashkar-e-Taiba were blamed by Islamabad for the bombing in Peshawar.",
    "Maulana Fazl-ur-Rehman of Jamiat Ulema-e-Islam (F) addressed a jirga in Bannu, "
    "where Malik Din Khel elders and Mehsud tribesmen gathered.",
    # machine-translated style
    "Pakistan's support is a sanctuarya successful attack would not have been impossible. "
    "The Durand Linethe border of colonial era divides the regions.",
    "There has been interest fight against criminals on security and police from 2022.",
    "Talks collapse",
    "Pakistan strikes Afghanistan",
    "KABUL, March 3 (Reuters) - Afghan forces said on Tuesday they had repelled an attack.",
]

OTHER = [
    ("fr", "Le gouvernement a annoncé mardi une nouvelle série de mesures contre la violence."),
    ("fr", "Les talibans ont pris le contrôle de la ville."),
    ("de", "Die Regierung hat am Dienstag neue Maßnahmen gegen die Gewalt angekündigt."),
    ("de", "Der Angriff wurde von den Taliban verübt."),
    ("es", "El gobierno anunció el martes nuevas medidas contra la violencia en la frontera."),
    ("es", "Los talibanes tomaron la ciudad."),
    ("pt", "O governo anunciou na terça-feira novas medidas contra a violência na fronteira."),
    ("pt", "Os talibãs tomaram a cidade."),
    ("it", "Il governo ha annunciato martedì nuove misure contro la violenza al confine."),
    ("it", "I talebani hanno preso la città."),
    ("nl", "De regering heeft dinsdag nieuwe maatregelen aangekondigd tegen het geweld."),
    ("nl", "De taliban hebben de stad ingenomen."),
    ("tr", "Hükümet salı günü sınırdaki şiddete karşı yeni önlemler açıkladı."),
    ("tr", "Taliban şehrin kontrolünü ele geçirdi ve bir açıklama yaptı."),
    ("id", "Pemerintah mengumumkan langkah baru untuk melawan kekerasan di perbatasan."),
    ("id", "Taliban telah mengambil alih kota itu dan ini adalah berita."),
    ("ru", "Правительство объявило во вторник о новых мерах против насилия на границе."),
    ("uk", "Уряд оголосив про нові заходи, які їм допоможуть на кордоні."),
    ("ar", "أعلنت الحكومة يوم الثلاثاء عن إجراءات جديدة لمكافحة العنف على الحدود."),
    ("fa", "دولت روز سه شنبه اقدامات جدیدی را برای مقابله با خشونت در مرز اعلام کرد."),
    ("ur", "حکومت نے منگل کو سرحد پر تشدد کے خلاف نئے اقدامات کا اعلان کیا ہے۔"),
    ("ps", "حکومت د سه شنبې په ورځ په پوله د تاوتریخوالي پر وړاندې نوي اقدامات اعلان کړل."),
    ("zh", "政府周二宣布了打击边境暴力的新措施。"),
    ("ja", "政府は火曜日、国境での暴力に対する新たな措置を発表した。"),
    ("ko", "정부는 화요일 국경 폭력에 대한 새로운 조치를 발표했다."),
    ("hi", "सरकार ने मंगलवार को सीमा पर हिंसा के खिलाफ नए उपायों की घोषणा की।"),
]


@pytest.mark.parametrize("text", ENGLISH)
def test_detect_language_english(text):
    assert detect_language(text) == "en"


@pytest.mark.parametrize(("lang", "text"), OTHER)
def test_detect_language_other_languages(lang, text):
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    "text", ["", "   \n\t ", "Hello", "12345 67890 !!!", "<p></p>", "\x00\x00"]
)
def test_detect_language_too_little_text_is_und(text):
    assert detect_language(text) == "und"


def test_detect_language_english_with_many_foreign_names():
    names = (
        "Mawlawi Abdul Kabir, Haji Gul Agha Ishakzai, Qari Din Mohammad Hanif, Mullah Abdul "
        "Ghani Baradar, Sher Mohammad Abbas Stanekzai, Amir Khan Muttaqi, Abdul Haq Wasiq, "
        "Noor ul Haq Olomi, Ahmad Shah Massoud, Fazal ur Rehman, Al Haj Din Mohammad"
    )
    text = f"The delegation included {names}, and they met officials in Doha on Friday."
    assert detect_language(text) == "en"


def test_detect_language_reads_only_the_start():
    text = "The minister said the talks would continue next week. " * 100
    assert detect_language(text + "Le gouvernement a dit que la guerre est finie. " * 1000) == "en"


def test_detect_language_mixed_script_majority_wins():
    text = "وزارت خارجه پاکستان گفت که مذاکرات ادامه خواهد داشت (Foreign Office)."
    assert detect_language(text) == "fa"
