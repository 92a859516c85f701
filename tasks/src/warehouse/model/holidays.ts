/**
 * Indian public holidays as facts, with their source. The list is the gazetted holidays of the
 * central government administrative offices at Delhi/New Delhi for 2022: Government of India,
 * Ministry of Personnel, Public Grievances and Pensions, Department of Personnel and Training,
 * Office Memorandum F.No. 12/5/2021-JCA-2 of 8 June 2021, Annexure I (17 holidays; the 14
 * compulsory all-India holidays plus Maha Shivratri, Holi and Janmashtami chosen for Delhi).
 * States add their own holidays; those are not modelled. Only 2022, the year of the data, is known:
 * dim_date says so per day (holidays_known).
 */
export const HOLIDAY_SOURCE = 'DoPT O.M. F.No. 12/5/2021-JCA-2 (8 June 2021), Annexure I';

export const PUBLIC_HOLIDAYS: Record<number, Record<string, string>> = {
  2022: {
    '2022-01-26': 'Republic Day',
    '2022-03-01': 'Maha Shivratri',
    '2022-03-18': 'Holi',
    '2022-04-14': 'Mahavir Jayanti',
    '2022-04-15': 'Good Friday',
    '2022-05-03': 'Id-ul-Fitr',
    '2022-05-16': 'Buddha Purnima',
    '2022-07-10': 'Id-ul-Zuha (Bakrid)',
    '2022-08-09': 'Muharram',
    '2022-08-15': 'Independence Day',
    '2022-08-19': 'Janmashtami',
    '2022-10-02': "Mahatma Gandhi's Birthday",
    '2022-10-05': 'Dussehra',
    '2022-10-09': 'Milad-un-Nabi (Id-e-Milad)',
    '2022-10-24': 'Diwali (Deepavali)',
    '2022-11-08': "Guru Nanak's Birthday",
    '2022-12-25': 'Christmas Day',
  },
};
