from yikatong.core.masking import mask_card, mask_id_number, mask_name, mask_personal, mask_phone


def test_mask_id_number():
    assert mask_id_number("14102419900101123x") == "1410**********123X"
    assert mask_id_number("") == ""
    assert mask_id_number(None) == ""
    assert mask_id_number("1234") == "****"


def test_mask_card():
    assert mask_card("6228480012345671234") == "6228 **** **** 1234"
    assert mask_card("6228 4800 1234 5671 234") == "6228 **** **** 1234"
    assert mask_card("") == ""


def test_mask_phone():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("138-1234-5678") == "138****5678"
    assert mask_phone("0351-1234567") == "*******4567"
    assert mask_phone(None) == ""


def test_mask_name():
    assert mask_name("张三") == "张*"
    assert mask_name("张三丰") == "张**"
    assert mask_name("欧阳娜娜") == "欧阳**"
    assert mask_name("欧阳") == "欧*"
    assert mask_name("王") == "王"
    assert mask_name("") == ""


def test_mask_personal():
    data = {
        "id_number": "14102419900101123X",
        "name": "张三",
        "nested": [{"phone": "13812345678", "account_no": "6228480012345671234"}],
        "password": "hunter2",
        "amount": 100,
    }
    masked = mask_personal(data)
    assert masked == {
        "id_number": "1410**********123X",
        "name": "张三",
        "nested": [{"phone": "138****5678", "account_no": "6228 **** **** 1234"}],
        "password": "***",
        "amount": 100,
    }
    assert data["id_number"] == "14102419900101123X"  # input untouched
