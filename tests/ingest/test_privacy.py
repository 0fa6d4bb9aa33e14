from pipelines.ingest.privacy import contains_personal_numbers, mask_personal_numbers


def test_id_numbers_are_masked_irreversibly():
    text = "驾驶员张某，身份证号500222198801011234，另一人50022219900202123X。"
    masked = mask_personal_numbers(text)
    assert "500222198801011234" not in masked and "50022219900202123X" not in masked
    assert "500*************34" in masked and "500*************3X" in masked
    assert not contains_personal_numbers(masked)


def test_mobiles_in_several_writings():
    for phone in ("13812345678", "138-1234-5678", "+8613812345678"):
        masked = mask_personal_numbers(f"联系电话{phone}。")
        assert not contains_personal_numbers(masked), masked
        assert "1234" not in masked


def test_other_numbers_are_left_alone():
    for text in (
        "直接经济损失12345678.9元",
        "编号2023061500001",
        "座机023-48612345",
        "12812345678",
    ):
        assert mask_personal_numbers(text) == text
