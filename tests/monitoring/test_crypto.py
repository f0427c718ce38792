import os
import stat

import pytest
from cryptography.exceptions import InvalidTag

from monitoring import crypto


def test_seal_and_unseal_round_trip_with_a_fresh_nonce():
    first = crypto.seal("张三", "11010519491231002X")
    second = crypto.seal("张三", "11010519491231002X")

    assert crypto.unseal(first) == ("张三", "11010519491231002X")
    assert first != second
    assert b"11010519491231002X" not in first


def test_tampered_value_is_refused():
    sealed = bytearray(crypto.seal("张三", "11010519491231002X"))
    sealed[-1] ^= 1

    with pytest.raises(InvalidTag):
        crypto.unseal(bytes(sealed))


def test_hash_is_stable_and_depends_on_the_key(monkeypatch):
    before = crypto.id_hash("11010519491231002X")
    monkeypatch.setenv("ONEX_ID_KEY", "YW5vdGhlci10ZXN0LWtleS0wMDAwMDAwMDAwMDAwMDA=")
    crypto.forget_keys()

    after = crypto.id_hash("11010519491231002X")

    assert (len(before), before == after) == (32, False)


def test_key_file_wins_and_a_development_key_is_made_once(monkeypatch, settings, tmp_path):
    settings.BASE_DIR = tmp_path
    monkeypatch.delenv("ONEX_ID_KEY")
    crypto.forget_keys()

    sealed = crypto.seal("李四", "11010519491231002X")
    key_path = tmp_path / "var" / "onex_id.key"
    crypto.forget_keys()

    assert crypto.unseal(sealed) == ("李四", "11010519491231002X")
    assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
    monkeypatch.setenv("ONEX_ID_KEY_FILE", str(key_path))
    crypto.forget_keys()
    assert crypto.unseal(sealed) == ("李四", "11010519491231002X")


def test_a_short_key_is_refused(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("ONEX_ID_KEY", "c2hvcnQ=")
    crypto.forget_keys()

    with pytest.raises(ImproperlyConfigured):
        crypto.seal("张三", "11010519491231002X")


def test_hash_is_hmac_sha256_of_the_number_with_the_derived_key():
    import hmac

    number = "11010519491231002X"

    assert crypto.id_hash(number) == hmac.digest(crypto.keys().mac, number.encode(), "sha256")


def test_nonces_never_repeat_within_a_process():
    sealed = [crypto.seal("张三", "11010519491231002X") for _ in range(1000)]

    assert len({value[1:13] for value in sealed}) == 1000


def test_hash_many_and_seal_many_give_what_hash_and_seal_give_one_by_one():
    numbers = ["11010519491231002X", "340104200503070019", "11010519491231002X"]
    names = ["张三", "李四", "王五"]
    sealer = crypto.Sealer()

    sealed = sealer.seal_many(names, numbers)

    assert sealer.hash_many(numbers) == [crypto.id_hash(n) for n in numbers]
    assert [crypto.unseal(s) for s in sealed] == list(zip(names, numbers, strict=True))
    assert len({s[1:13] for s in [*sealed, *sealer.seal_many(names, numbers), crypto.seal("张三", numbers[0])]}) == 7
