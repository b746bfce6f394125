import {
  decodeVietnamese,
  isVietnameseSyllable,
  repairMojibake,
  syllableScore,
  vniToUnicode,
} from './legacy-vietnamese';

const hex = (value: string): Buffer => Buffer.from(value.replace(/\s+/g, ''), 'hex');

describe('isVietnameseSyllable', () => {
  it.each([
    'người',
    'gì',
    'giữa',
    'quốc',
    'khuya',
    'xoong',
    'thuở',
    'nghiêng',
    'Đường',
    'UỶ',
    'hoạch',
    'huých',
    'yêu',
    'ạ',
  ])('accepts %s', (word) => expect(isVietnameseSyllable(word)).toBe(true));

  it.each(['ViÖt', 'Ph¶n', '®­êng', 'nh©n', 'hello', 'cap', 'cáà', 'tuaàn', 'xyz'])('refuses %s', (word) =>
    expect(isVietnameseSyllable(word)).toBe(false),
  );

  it('reads NFD input like NFC', () => {
    expect(isVietnameseSyllable('nghiệm'.normalize('NFD'))).toBe(true);
  });

  it('counts syllables, skipping numbers, addresses and markup', () => {
    expect(syllableScore('<p>Số 12 đường Lê Lợi, email an@example.vn</p>')).toEqual({ valid: 4, total: 5 });
  });
});

describe('vniToUnicode', () => {
  // VNI-Windows as published for the VNI fonts: per vowel, [plain, sắc, huyền, hỏi, ngã, nặng],
  // written as the windows-1252 glyphs of the bytes.
  const TABLE: [string, string[]][] = [
    ['aáàảãạ', ['a', 'aù', 'aø', 'aû', 'aõ', 'aï']],
    ['âấầẩẫậ', ['aâ', 'aá', 'aà', 'aå', 'aã', 'aä']],
    ['ăắằẳẵặ', ['aê', 'aé', 'aè', 'aú', 'aü', 'aë']],
    ['eéèẻẽẹ', ['e', 'eù', 'eø', 'eû', 'eõ', 'eï']],
    ['êếềểễệ', ['eâ', 'eá', 'eà', 'eå', 'eã', 'eä']],
    ['oóòỏõọ', ['o', 'où', 'oø', 'oû', 'oõ', 'oï']],
    ['ôốồổỗộ', ['oâ', 'oá', 'oà', 'oå', 'oã', 'oä']],
    ['ơớờởỡợ', ['ô', 'ôù', 'ôø', 'ôû', 'ôõ', 'ôï']],
    ['uúùủũụ', ['u', 'uù', 'uø', 'uû', 'uõ', 'uï']],
    ['ưứừửữự', ['ö', 'öù', 'öø', 'öû', 'öõ', 'öï']],
    ['iíìỉĩị', ['i', 'í', 'ì', 'æ', 'ó', 'ò']],
    ['yýỳỷỹỵ', ['y', 'yù', 'yø', 'yû', 'yõ', 'î']],
    ['đ', ['ñ']],
  ];

  it('maps every lower-case and upper-case vowel with every tone, and đ/Đ', () => {
    let checked = 0;
    for (const [letters, glyphs] of TABLE) {
      [...letters].forEach((letter, i) => {
        expect(vniToUnicode(glyphs[i])).toBe(letter);
        expect(vniToUnicode(glyphs[i].toUpperCase())).toBe(letter.toUpperCase());
        checked += 2;
      });
    }
    expect(checked).toBe(146); // 12 vowels x 6 forms + đ, in both cases
  });

  it('reads whole words and mixed-case capitals', () => {
    expect(vniToUnicode('Vieät Nam')).toBe('Việt Nam');
    expect(vniToUnicode('ñöôøng phoá')).toBe('đường phố');
    expect(vniToUnicode('ÑÖÔØNG')).toBe('ĐƯỜNG');
    expect(vniToUnicode('Ñeøn')).toBe('Đèn');
    expect(vniToUnicode('UÛy ban')).toBe('Ủy ban');
  });
});

describe('decodeVietnamese', () => {
  const VIET = 'Việt Nam đường phố';

  it('decodes UTF-8 to NFC', () => {
    expect(decodeVietnamese(Buffer.from(VIET.normalize('NFD'), 'utf8'), 'UTF-8')).toBe(VIET);
    expect(decodeVietnamese(Buffer.from(VIET, 'utf8'))).toBe(VIET);
  });

  it('decodes windows-1258 (base letter + tone byte) to NFC', () => {
    // V i ê+nặng t _ N a m _ đ ư ơ+huyền n g _ p h ô+sắc
    const bytes = hex('56 69 ea f2 74 20 4e 61 6d 20 f0 fd f5 cc 6e 67 20 70 68 f4 ec');
    const text = decodeVietnamese(bytes, 'windows-1258');
    expect(text).toBe(VIET);
    expect(text).toBe(text.normalize('NFC'));
    expect(decodeVietnamese(bytes, 'CP1258')).toBe(VIET);
  });

  it('finds TCVN3 bytes labelled windows-1252, iso-8859-1, us-ascii or nothing', () => {
    // ViÖt Nam ®­êng phè
    const bytes = hex('56 69 d6 74 20 4e 61 6d 20 ae ad ea 6e 67 20 70 68 e8');
    for (const label of ['windows-1252', 'ISO-8859-1', 'us-ascii', undefined]) {
      expect(decodeVietnamese(bytes, label)).toBe(VIET);
    }
  });

  it('finds VNI-Windows bytes labelled windows-1252 or nothing', () => {
    // Vieät Nam ñöôøng phoá
    const bytes = hex('56 69 65 e4 74 20 4e 61 6d 20 f1 f6 f4 f8 6e 67 20 70 68 6f e1');
    expect(decodeVietnamese(bytes, 'windows-1252')).toBe(VIET);
    expect(decodeVietnamese(bytes)).toBe(VIET);
  });

  it('finds UTF-8 and windows-1258 bytes mislabelled windows-1252', () => {
    expect(decodeVietnamese(Buffer.from(VIET, 'utf8'), 'windows-1252')).toBe(VIET);
    expect(decodeVietnamese(hex('56 69 ea f2 74 20 4e 61 6d'), 'windows-1252')).toBe('Việt Nam');
  });

  it('keeps Western text and ASCII as labelled', () => {
    const french = 'Le café est fermé, naïve résumé à Noël';
    expect(decodeVietnamese(Buffer.from(french, 'latin1'), 'windows-1252')).toBe(french);
    expect(decodeVietnamese(Buffer.from(french, 'latin1'), 'iso-8859-1')).toBe(french);
    expect(decodeVietnamese(Buffer.from('Duong pho bi ngap', 'ascii'))).toBe('Duong pho bi ngap');
  });

  it('trusts other specific labels', () => {
    expect(decodeVietnamese(hex('56 69 d6 74'), 'tcvn')).toBe('Việt');
    expect(decodeVietnamese(Buffer.from('Привет', 'utf16le'), 'utf-16le')).toBe('Привет');
  });
});

describe('repairMojibake', () => {
  it('repairs TCVN3 read as windows-1252', () => {
    expect(repairMojibake('KÝnh göi Uû ban nh©n d©n ph­êng, ®­êng phè bÞ ngËp')).toBe(
      'Kính gửi Uỷ ban nhân dân phường, đường phố bị ngập',
    );
  });

  it('repairs VNI-Windows read as windows-1252', () => {
    expect(repairMojibake('Ñeøn ñöôøng hoûng ôû phöôøng 7')).toBe('Đèn đường hỏng ở phường 7');
  });

  it('repairs UTF-8 and windows-1258 read as windows-1252', () => {
    expect(repairMojibake(Buffer.from('Đèn đường hỏng', 'utf8').toString('latin1'))).toBe('Đèn đường hỏng');
    expect(repairMojibake('Viêòt Nam')).toBe('Việt Nam');
  });

  it('leaves Unicode Vietnamese, Western text and plain ASCII alone', () => {
    for (const text of [
      'Đèn đường hỏng ở phường 7',
      'Tôi có ý kiến',
      'Le café est fermé à Noël',
      'Meeting notes – résumé attached',
      'Re: hello',
      'Cà phê',
    ]) {
      expect(repairMojibake(text)).toBe(text);
    }
  });
});
