using System.Globalization;
using DataPool.Core.Schema;
using DataPool.Core.Values;
using FluentValidation;

namespace DataPool.Core.Forms;

/// <summary>One submitted value: where it sits in the form (the error path), its field, and its text (null: left empty).</summary>
public sealed record SubmittedValue(string Path, FormField Field, string? Text, bool MustBePresent = false);

/// <summary>
/// The form's rules, the same the definition publishes to the UI (required, maxLength, pattern, min/max, codes, ID-number
/// checksum, phone): every failure a Chinese message naming the field by its label.
/// </summary>
public sealed class FormRules : AbstractValidator<SubmittedValue>
{
    public FormRules()
    {
        RuleFor(v => v.Text).NotEmpty().When(v => v.Field.Required || v.MustBePresent)
            .WithMessage(v => $"{v.Field.Label.Zh}为必填项");
        When(v => !string.IsNullOrWhiteSpace(v.Text), () =>
        {
            RuleFor(v => v.Text!.Trim().Length).LessThanOrEqualTo(v => v.Field.MaxLength ?? int.MaxValue)
                .WithMessage(v => $"{v.Field.Label.Zh}不能超过{v.Field.MaxLength}个字符");
            RuleFor(v => v.Text).Must((v, text) => v.Field.Pattern is null || System.Text.RegularExpressions.Regex.IsMatch(text!.Trim(), v.Field.Pattern))
                .WithMessage(v => $"{v.Field.Label.Zh}格式不正确");
            RuleFor(v => v.Text).Must(text => IdNumber.TryNormalise(text, out var id, out _) && id.Length == 18)
                .When(v => v.Field.Format == "id_number")
                .WithMessage(v => $"{v.Field.Label.Zh}不是有效的公民身份号码（18位，校验位须正确）");
            RuleFor(v => v.Text).Must(text => Phone.TryNormalise(text, out _, out _))
                .When(v => v.Field.Format == "phone")
                .WithMessage(v => $"{v.Field.Label.Zh}不是有效的电话号码");
            RuleFor(v => v.Text).Must(text => Numbers.TryParseInt(text, out _, out _))
                .When(v => v.Field.Type == FieldTypes.Int)
                .WithMessage(v => $"{v.Field.Label.Zh}应为整数");
            RuleFor(v => v.Text).Must(text => Numbers.TryParseDecimal(text, out _, out _))
                .When(v => v.Field.Type == FieldTypes.Decimal)
                .WithMessage(v => $"{v.Field.Label.Zh}应为数字");
            RuleFor(v => v.Text).Must(text => Numbers.TryParseBool(text, out _, out _))
                .When(v => v.Field.Type == FieldTypes.Bool)
                .WithMessage(v => $"{v.Field.Label.Zh}应为“是”或“否”");
            RuleFor(v => v.Text).Must(text => LegacyDate.TryParse(text, out _, out _))
                .When(v => v.Field.Type == FieldTypes.Date)
                .WithMessage(v => $"{v.Field.Label.Zh}应为日期，如 2019-03-02");
            RuleFor(v => v.Text).Must((v, text) => v.Field.Codes!.Any(c => c.Code == text!.Trim()))
                .When(v => v.Field.Codes is not null)
                .WithMessage(v => $"{v.Field.Label.Zh}的取值“{v.Text}”不在代码表中");
            RuleFor(v => v).Must(v => InRange(v, low: true)).When(v => v.Field.Min is not null)
                .WithMessage(v => v.Field.Type == FieldTypes.Date ? $"{v.Field.Label.Zh}不能早于{v.Field.Min}" : $"{v.Field.Label.Zh}不能小于{v.Field.Min}");
            RuleFor(v => v).Must(v => InRange(v, low: false)).When(v => v.Field.Max is not null)
                .WithMessage(v => v.Field.Type == FieldTypes.Date ? $"{v.Field.Label.Zh}不能晚于{v.Field.Max}" : $"{v.Field.Label.Zh}不能大于{v.Field.Max}");
        });
    }

    /// <summary>Every failure by path, as ValidationProblemDetails carries them.</summary>
    public Dictionary<string, string[]> Check(IEnumerable<SubmittedValue> values)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            foreach (var failure in Validate(value).Errors)
            {
                if (!errors.TryGetValue(value.Path, out var list))
                {
                    errors[value.Path] = list = [];
                }

                list.Add(failure.ErrorMessage);
            }
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    private static bool InRange(SubmittedValue v, bool low)
    {
        var bound = low ? v.Field.Min : v.Field.Max;
        int order;
        if (v.Field.Type == FieldTypes.Date)
        {
            if (!LegacyDate.TryParse(v.Text, out var date, out _) || !DateOnly.TryParse(Convert.ToString(bound, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture, out var limit))
            {
                return true;
            }

            order = date.CompareTo(limit);
        }
        else
        {
            if (!Numbers.TryParseDecimal(v.Text, out var number, out _))
            {
                return true;
            }

            order = number.CompareTo(Convert.ToDecimal(bound, CultureInfo.InvariantCulture));
        }

        return low ? order >= 0 : order <= 0;
    }
}
