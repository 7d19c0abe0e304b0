using System.Security.Cryptography;
using BeaconEngine.Grains.Coupons;

namespace BeaconEngine.Grains.Tests;

/// <summary>The sealed coupon code without a host: it carries its shopper, reads as nothing without the key, and survives a till's typing.</summary>
public sealed class SealedCodeCipherTests
{
    private readonly SealedCodeCipher _cipher = new(RandomNumberGenerator.GetBytes(SealedCodeCipher.KeyBytes));

    [Fact]
    public void A_code_opens_to_its_shopper_and_two_codes_of_one_shopper_look_unrelated()
    {
        var shopperId = Ids.New("shp");
        var first = _cipher.TrySeal(shopperId)!;
        var second = _cipher.TrySeal(shopperId)!;

        Assert.Matches("^[0-7][0-9A-HJKMNP-TV-Z]{25}$", first);
        Assert.Equal(new OpenedCode(shopperId, first), _cipher.TryOpen(first));
        Assert.Equal(shopperId, _cipher.TryOpen(second)?.ShopperId);

        // Nothing of the id shows, and the two codes share no run of characters an observer could link them by.
        Assert.DoesNotContain(shopperId[4..].ToUpperInvariant()[..5], first, StringComparison.Ordinal);
        Assert.NotEqual(first[..8], second[..8]);
    }

    [Fact]
    public void A_code_typed_by_hand_in_lower_case_with_dashes_and_look_alike_letters_opens_to_the_code_as_issued()
    {
        var shopperId = Ids.New("shp");
        var code = _cipher.TrySeal(shopperId)!;
        var typed = string.Join('-', code.Chunk(5).Select(c => new string(c))).ToLowerInvariant().Replace('0', 'o').Replace('1', 'l');

        Assert.Equal(new OpenedCode(shopperId, code), _cipher.TryOpen(typed));
    }

    [Fact]
    public void Another_key_a_changed_character_or_a_random_code_opens_to_nobody()
    {
        var code = _cipher.TrySeal(Ids.New("shp"))!;
        var other = new SealedCodeCipher(RandomNumberGenerator.GetBytes(SealedCodeCipher.KeyBytes));

        // One time in 4,096 a wrong code passes the check by chance: over 2,000 tries, a handful at most.
        var opened = 0;
        for (var i = 0; i < 2_000; i++)
        {
            var random = "0" + Ids.Random(SealedCodeCipher.Length - 1);
            opened += _cipher.TryOpen(random) is null ? 0 : 1;
        }

        Assert.Null(other.TryOpen(code));
        Assert.Null(_cipher.TryOpen(code[..^1] + (code[^1] == 'A' ? 'B' : 'A')));
        Assert.InRange(opened, 0, 10);
    }

    [Theory]
    [InlineData("shp_ABCDEFGHJKMNPQRSTVWX")] // upper case: would not come back the same
    [InlineData("shp-0123456789abcdef")]
    [InlineData("shp_0123456789abcdefghj")]
    [InlineData("cus_0123456789abcdefghjk")]
    public void An_id_not_of_the_engines_form_is_not_sealed(string shopperId)
    {
        Assert.False(SealedCodeCipher.CanSeal(shopperId));
        Assert.Null(_cipher.TrySeal(shopperId));
    }

    [Theory]
    [InlineData("HPGACG8X6V")] // a filed code of ten characters
    [InlineData("8ZZZZZZZZZZZZZZZZZZZZZZZZZ")] // 26 characters, but more than 128 bits
    [InlineData("0ZZZZZZZZZZZZZZZZZZZZZZZZU")] // U is not in the alphabet
    [InlineData("0ZZZZZZZZZZZZZZZZZZZZZZZZZZ")]
    public void Filed_and_malformed_codes_do_not_have_a_sealed_codes_form(string code) =>
        Assert.False(SealedCodeCipher.IsSealedForm(code));
}
