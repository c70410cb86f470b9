import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * Channels besides email. A recipient gets a mobile and a fax number (E.164, checked on the way
 * in), a postal address, and an opt-out per channel next to the existing all-channels and email
 * ones (Adobe's blackListMobile, blackListFax, blackListPostalMail). A delivery has a channel
 * (`email`, `sms`, `push`, `direct_mail`, `fax`; every existing delivery is email). A quarantine
 * row names the channel of its address and is unique per channel and address (it was unique per
 * address): a number's quarantine never blocks an email address, nor the same number's fax
 * quarantine its SMS. Frozen once released.
 */
const T = DataTypes;
const str = (length: number) => ({ type: T.STRING(length), allowNull: true });
const flag = () => ({ type: T.BOOLEAN, allowNull: false, defaultValue: false });

export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  const recipientColumns = {
    mobile: str(16),
    fax: str(16),
    address_line1: str(255),
    address_line2: str(255),
    postal_code: str(16),
    city: str(100),
    country: str(2),
    denylisted_sms: flag(),
    denylisted_push: flag(),
    denylisted_postal: flag(),
    denylisted_fax: flag(),
  };
  for (const [name, column] of Object.entries(recipientColumns)) await qi.addColumn('recipients', name, column, { transaction });
  await qi.addIndex('recipients', ['mobile'], { name: 'recipients_mobile', transaction });
  await qi.addColumn('deliveries', 'channel', { type: T.STRING(16), allowNull: false, defaultValue: 'email' }, { transaction });
  await qi.addColumn('quarantines', 'channel', { type: T.STRING(16), allowNull: false, defaultValue: 'email' }, { transaction });
  await qi.removeIndex('quarantines', 'quarantines_address', { transaction });
  await qi.addIndex('quarantines', ['address', 'channel'], { name: 'quarantines_address_channel', unique: true, transaction });
  await qi.addIndex('quarantines', ['channel', 'status'], { name: 'quarantines_channel_status', transaction });
}
