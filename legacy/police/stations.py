"""The police stations of the stand-in's Occurrence Book, as rows of ``police_station``."""

from __future__ import annotations

from typing import Any

_STATIONS: tuple[tuple[str, str, str, str, str], ...] = (
    # stn_code, stn_name, county, sub_county, tel_no
    ("NRB01", "Central Police Station", "Nairobi", "Starehe", "+254 20 2222222"),
    ("NRB02", "Kilimani Police Station", "Nairobi", "Dagoretti North", "+254 20 2724154"),
    ("NRB03", "Parklands Police Station", "Nairobi", "Westlands", "+254 20 3742100"),
    ("NRB04", "Kasarani Police Station", "Nairobi", "Kasarani", "+254 20 8562031"),
    ("NRB05", "Kayole Police Station", "Nairobi", "Embakasi Central", "+254 20 2390116"),
    ("NRB06", "Industrial Area Police Station", "Nairobi", "Makadara", "+254 20 6551234"),
    ("NRB07", "Langata Police Station", "Nairobi", "Lang'ata", "+254 20 6002345"),
    ("NRB08", "Gigiri Police Station", "Nairobi", "Westlands", "+254 20 7120331"),
    ("NRB09", "Buruburu Police Station", "Nairobi", "Makadara", "+254 20 7850412"),
    ("NRB10", "Kabete Police Station", "Nairobi", "Dagoretti North", "+254 20 4443019"),
    ("MSA01", "Central Police Station Mombasa", "Mombasa", "Mvita", "+254 41 2225501"),
    ("MSA02", "Nyali Police Station", "Mombasa", "Nyali", "+254 41 5471120"),
    ("MSA03", "Likoni Police Station", "Mombasa", "Likoni", "+254 41 2451209"),
    ("MSA04", "Changamwe Police Station", "Mombasa", "Changamwe", "+254 41 3432118"),
    ("KSM01", "Kisumu Central Police Station", "Kisumu", "Kisumu Central", "+254 57 2023422"),
    ("KSM02", "Kondele Police Station", "Kisumu", "Kisumu East", "+254 57 2530874"),
    ("NKR01", "Nakuru Central Police Station", "Nakuru", "Nakuru Town East", "+254 51 2212303"),
    ("NKR02", "Naivasha Police Station", "Nakuru", "Naivasha", "+254 50 2020120"),
    ("UGS01", "Eldoret Central Police Station", "Uasin Gishu", "Ainabkoi", "+254 53 2062411"),
    ("KBU01", "Thika Police Station", "Kiambu", "Thika Town", "+254 67 2221211"),
    ("KBU02", "Kiambu Police Station", "Kiambu", "Kiambu Town", "+254 66 2022044"),
    ("KBU03", "Ruiru Police Station", "Kiambu", "Ruiru", "+254 20 2025319"),
    ("MKS01", "Machakos Police Station", "Machakos", "Machakos Town", "+254 44 2021020"),
    ("MKS02", "Athi River Police Station", "Machakos", "Mavoko", "+254 45 6622132"),
    ("NYR01", "Nyeri Police Station", "Nyeri", "Nyeri Central", "+254 61 2032470"),
    ("MRU01", "Meru Central Police Station", "Meru", "Imenti North", "+254 64 3130222"),
    ("EMB01", "Embu Police Station", "Embu", "Manyatta", "+254 68 2231188"),
    ("KKG01", "Kakamega Police Station", "Kakamega", "Lurambi", "+254 56 2030222"),
    ("BGM01", "Bungoma Police Station", "Bungoma", "Kanduyi", "+254 55 3030312"),
    ("KSI01", "Kisii Central Police Station", "Kisii", "Kitutu Chache South", "+254 58 2030433"),
    ("KRC01", "Kericho Police Station", "Kericho", "Ainamoi", "+254 52 2020144"),
    ("KLF01", "Malindi Police Station", "Kilifi", "Malindi", "+254 42 2120177"),
    ("KLF02", "Kilifi Police Station", "Kilifi", "Kilifi North", "+254 41 7522105"),
    ("GRS01", "Garissa Police Station", "Garissa", "Garissa Township", "+254 46 2102246"),
    ("TRK01", "Lodwar Police Station", "Turkana", "Turkana Central", "+254 54 2121031"),
    ("LKP01", "Nanyuki Police Station", "Laikipia", "Laikipia East", "+254 62 2032121"),
    ("TNZ01", "Kitale Police Station", "Trans Nzoia", "Saboti", "+254 54 3120212"),
    ("TTV01", "Voi Police Station", "Taita Taveta", "Voi", "+254 43 2030111"),
    ("NRK01", "Narok Police Station", "Narok", "Narok North", "+254 50 2222064"),
    ("KTI01", "Kitui Central Police Station", "Kitui", "Kitui Central", "+254 44 4422019"),
    ("ISL01", "Isiolo Police Station", "Isiolo", "Isiolo", "+254 64 5252010"),
    ("HMB01", "Homa Bay Police Station", "Homa Bay", "Homa Bay Town", "+254 59 2122032"),
)


def station_rows() -> list[dict[str, Any]]:
    """One row per station, keyed by column name."""
    return [
        {"stn_code": code, "stn_name": name, "county": county, "sub_county": sub, "tel_no": tel}
        for code, name, county, sub, tel in _STATIONS
    ]
